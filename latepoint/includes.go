package latepoint

import (
	"context"
	"strings"
)

// bookingLists are the include names that add booking lists; the list route knows only "bookings".
var bookingLists = []string{"bookings", "upcoming_bookings", "past_bookings"}

// loadView fills everything the views need for a page of customers, with a constant number of queries however
// many customers or bookings there are: meta (1), settings (1), stats (2), favourites (1, detail only), one per
// booking list, avatars (≤ 2).
// meta, when not nil, is the customers' meta already read (CustomerWithMeta).
func (a *API) loadView(ctx context.Context, rows []customerRow, inc includes, clk localClock, detail bool, bq bookingQuery, meta map[int64][]metaRow) (*viewData, error) {
	d := &viewData{clk: clk, inc: inc, lists: map[string]map[int64][]bookingRow{}, meta: meta}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var err error
	if (detail || inc["custom_fields"]) && d.meta == nil {
		if d.meta, err = a.store.Meta(ctx, a.store.reader(ctx), ids); err != nil {
			return nil, err
		}
	}
	var settings map[string]string
	if inc["custom_fields"] || inc["avatar"] {
		if settings, err = a.store.Settings(ctx, a.store.reader(ctx), "custom_fields_for_customer", "wp_users_as_customers"); err != nil {
			return nil, err
		}
		d.defs = parseCustomFieldDefs(settings["custom_fields_for_customer"])
	}
	if inc["stats"] {
		if d.stats, err = a.store.Stats(ctx, ids, clk); err != nil {
			return nil, err
		}
		if detail && len(ids) == 1 {
			if d.favs[0], d.favs[1], d.favs[2], err = a.store.Favorites(ctx, ids[0]); err != nil {
				return nil, err
			}
		}
	}
	for _, kind := range bookingLists {
		if !inc[kind] || (!detail && kind != "bookings") {
			continue
		}
		q := bq
		q.Kind, q.Clock = kind, clk
		if d.lists[kind], err = a.store.Bookings(ctx, ids, q); err != nil {
			return nil, err
		}
	}
	if inc["avatar"] {
		if d.avatars, err = a.avatars(ctx, rows, settings); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// avatars resolves avatar_url for every customer (attachments and linked users' e-mails in one query each).
func (a *API) avatars(ctx context.Context, rows []customerRow, settings map[string]string) (map[int64]string, error) {
	set := &avatarSettings{wpUsersAsCustomers: settings["wp_users_as_customers"] == "on"}
	var err error
	if set.uploadsURL, set.defaultURL, err = a.assetURLs(ctx); err != nil {
		return nil, err
	}
	def, _, err := a.site.CachedOption(ctx, "avatar_default")
	if err != nil {
		return nil, classify(err)
	}
	rating, found, err := a.site.CachedOption(ctx, "avatar_rating")
	if err != nil {
		return nil, classify(err)
	}
	if !found {
		rating = "G"
	}
	set.gravatarQuery = gravatarQuery(def, rating)
	var attIDs, userIDs []int64
	for i := range rows {
		c := &rows[i]
		if c.AvatarImageID.Valid && c.AvatarImageID.Int64 > 0 {
			attIDs = append(attIDs, c.AvatarImageID.Int64)
		} else if set.wpUsersAsCustomers && c.linkedUserID() > 0 {
			userIDs = append(userIDs, c.linkedUserID())
		}
	}
	atts, err := a.store.Attachments(ctx, attIDs)
	if err != nil {
		return nil, err
	}
	emails, err := a.store.UserEmails(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for i := range rows {
		out[rows[i].ID] = avatarURL(&rows[i], set, atts, emails)
	}
	return out, nil
}

// assetURLs are the uploads base URL and LatePoint's default avatar URL: configured values, else WordPress's
// defaults (upload_url_path option, WP_CONTENT_URL / WP_PLUGIN_URL, siteurl + /wp-content).
func (a *API) assetURLs(ctx context.Context) (uploads, defAvatar string, err error) {
	uploads, defAvatar = a.opts.UploadsURL, a.opts.DefaultAvatarURL
	if uploads != "" && defAvatar != "" {
		return strings.TrimRight(uploads, "/"), defAvatar, nil
	}
	site, err := a.site.SiteURL(ctx)
	if err != nil {
		return "", "", classify(err)
	}
	content := strings.TrimRight(site, "/") + "/wp-content"
	plugins := ""
	if cfg := a.site.Config; cfg != nil {
		if v, ok := cfg.String("WP_CONTENT_URL"); ok && v != "" {
			content = strings.TrimRight(v, "/")
		}
		if v, ok := cfg.String("WP_PLUGIN_URL"); ok && v != "" {
			plugins = strings.TrimRight(v, "/")
		}
	}
	if plugins == "" {
		plugins = content + "/plugins"
	}
	if uploads == "" {
		path, _, err := a.site.CachedOption(ctx, "upload_url_path")
		if err != nil {
			return "", "", classify(err)
		}
		if path != "" {
			uploads = path
		} else {
			uploads = content + "/uploads"
		}
	}
	if defAvatar == "" {
		defAvatar = plugins + "/latepoint/public/images/default-avatar.jpg"
	}
	return strings.TrimRight(uploads, "/"), defAvatar, nil
}
