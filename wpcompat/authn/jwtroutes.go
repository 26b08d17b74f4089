package authn

// POST /jwt-auth/v1/token and /jwt-auth/v1/token/validate of the Tmeister JWT plugin 1.3.4 (spec §8.2;
// public/class-jwt-auth-public.php generate_token / validate_token), with wp_authenticate() of WordPress 7.1
// behind the token route (wp-includes/pluggable.php wp_authenticate, wp-includes/user.php
// wp_authenticate_username_password / wp_authenticate_email_password / wp_authenticate_application_password).

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// jwtToken is generate_token.
func (a *Auth) jwtToken(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	if on, err := a.jwtActive(ctx); err != nil || !on {
		if err != nil {
			return nil, err
		}
		return nil, rest.NoRoute()
	}
	secret, ok := a.jwtSecret()
	if !ok {
		return nil, jwtError("jwt_auth_bad_config", msgJWTBadConfig)
	}
	username, _ := r.ParamString("username")
	password, _ := r.ParamString("password")
	st, err := a.state(ctx, r)
	if err != nil {
		return nil, err
	}
	if wait := a.guard.locked(st.clientIP, username, a.now()); wait > 0 {
		return nil, tooManyAttempts(r, wait)
	}
	user, werr, err := a.wpAuthenticate(ctx, r, st, username, password)
	if err != nil {
		return nil, err
	}
	if werr != nil {
		a.site.AuthFailed(werr.Code)
		a.guard.fail(st.clientIP, username, a.now())
		return nil, rest.NewError("[jwt_auth] "+werr.Code, werr.Message, http.StatusForbidden)
	}
	a.guard.succeed(username)
	alg, ok := a.jwtAlgorithm()
	if !ok {
		return nil, jwtError("jwt_auth_unsupported_algorithm", msgJWTUnsupported)
	}
	iss, err := a.bloginfoURL(ctx, st)
	if err != nil {
		return nil, err
	}
	iat := a.now().Unix()
	payload := wpjson.NewObject().Set("iss", iss).Set("iat", iat).Set("nbf", iat).Set("exp", iat+jwtLifetimeSeconds).
		Set("data", wpjson.NewObject().Set("user", wpjson.NewObject().Set("id", strconv.FormatInt(user.ID, 10))))
	token, err := encodeJWT(payload, secret, alg)
	if err != nil {
		return nil, rest.InternalError(err)
	}
	return rest.OK(wpjson.NewObject().Set("token", token).Set("user_email", user.Email).
		Set("user_nicename", user.Nicename).Set("user_display_name", user.DisplayName)), nil
}

// jwtValidate is validate_token for the /token/validate route: the raw Authorization header.
func (a *Auth) jwtValidate(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	if on, err := a.jwtActive(ctx); err != nil || !on {
		if err != nil {
			return nil, err
		}
		return nil, rest.NoRoute()
	}
	st, err := a.state(ctx, r)
	if err != nil {
		return nil, err
	}
	header := strings.Join(r.HTTP.Header.Values("Authorization"), ",")
	if _, e := a.validateJWT(ctx, st, header); e != nil {
		return nil, e
	}
	return rest.OK(wpjson.NewObject().Set("code", "jwt_auth_valid_token").Set("data", wpjson.NewObject().Set("status", 200))), nil
}

// Messages of wp_authenticate_username_password / wp_authenticate_email_password (7.1, English).
const (
	msgEmptyUsername = "<strong>Error:</strong> The username field is empty."
	msgEmptyPassword = "<strong>Error:</strong> The password field is empty."
	msgUnknownEmail  = "Unknown email address. Check again or try your username."
)

// wpAuthenticate is wp_authenticate(username, password) in a REST request: the username/email/application
// password filters in their order, each later one seeing the earlier result. The sidecar never rehashes
// user_pass on success (spec §4.5, §12.2). It returns the user, or the WordPress error (first code, first
// message of that code).
func (a *Auth) wpAuthenticate(ctx context.Context, r *rest.Request, st *authState, username, password string) (*wpcompat.User, *rest.Error, error) {
	username = wpcompat.SanitizeUser(username)
	password = php.Trim(password)
	empty := func(s string) bool { return !phpserial.PHPTruthy(s) }
	var werr *rest.Error

	// wp_authenticate_username_password (20)
	if empty(username) || empty(password) {
		if empty(username) {
			werr = rest.NewError("empty_username", msgEmptyUsername, 0)
		} else {
			werr = rest.NewError("empty_password", msgEmptyPassword, 0)
		}
	} else {
		rec, err := a.site.FindUser(ctx, wpcompat.UserByLogin, username, a.site.Tables.CapabilitiesKey())
		if err != nil {
			return nil, nil, err
		}
		switch {
		case rec == nil:
			werr = rest.NewError("invalid_username", "<strong>Error:</strong> The username <strong>"+escHTML(username)+
				"</strong> is not registered on this site. If you are unsure of your username, try your email address instead.", 0)
		case !wpauth.CheckPassword(password, rec.User.Pass):
			lost, err := a.lostPasswordURL(ctx, st)
			if err != nil {
				return nil, nil, err
			}
			werr = rest.NewError("incorrect_password", "<strong>Error:</strong> The password you entered for the username <strong>"+
				escHTML(username)+"</strong> is incorrect. <a href=\""+lost+"\">Lost your password?</a>", 0)
		default:
			if err := a.site.ResolveCaps(ctx, rec); err != nil {
				return nil, nil, err
			}
			return rec.User, nil, nil
		}
	}

	// wp_authenticate_email_password (20): an error from the previous filter stands for empty input.
	if !empty(username) && !empty(password) && wpcompat.IsEmail(username) {
		rec, err := a.site.FindUser(ctx, wpcompat.UserByEmail, username, a.site.Tables.CapabilitiesKey())
		if err != nil {
			return nil, nil, err
		}
		switch {
		case rec == nil:
			werr = rest.NewError("invalid_email", msgUnknownEmail, 0)
		case !wpauth.CheckPassword(password, rec.User.Pass):
			lost, err := a.lostPasswordURL(ctx, st)
			if err != nil {
				return nil, nil, err
			}
			werr = rest.NewError("incorrect_password", "<strong>Error:</strong> The password you entered for the email address <strong>"+
				escHTML(username)+"</strong> is incorrect. <a href=\""+lost+"\">Lost your password?</a>", 0)
		default:
			if err := a.site.ResolveCaps(ctx, rec); err != nil {
				return nil, nil, err
			}
			return rec.User, nil, nil
		}
	}

	// wp_authenticate_application_password (20): in a REST request it replaces the error when passwords are in use.
	inUse, err := a.appPasswordsInUse(ctx)
	if err != nil {
		return nil, nil, err
	}
	if inUse {
		res, err := a.authenticateAppPassword(ctx, r, st, username, password)
		if err != nil {
			return nil, nil, err
		}
		if res.user != nil {
			return res.user, nil, nil
		}
		werr = res.err
	}
	return nil, werr, nil
}

// lostPasswordURL is wp_lostpassword_url(): site_url('wp-login.php', 'login') + '?action=lostpassword', https when
// the request is or when FORCE_SSL_ADMIN (default: siteurl is https).
func (a *Auth) lostPasswordURL(ctx context.Context, st *authState) (string, error) {
	siteurl, err := a.site.SiteURL(ctx)
	if err != nil {
		return "", err
	}
	force := strings.HasPrefix(siteurl, "https://")
	if v, ok := a.site.Config.Value("FORCE_SSL_ADMIN"); ok {
		force = v.Truthy()
	}
	if st.ssl || force {
		if rest, ok := strings.CutPrefix(siteurl, "http://"); ok {
			siteurl = "https://" + rest
		}
	} else if rest, ok := strings.CutPrefix(siteurl, "https://"); ok {
		siteurl = "http://" + rest
	}
	return siteurl + "/wp-login.php?action=lostpassword", nil
}

// escHTML is esc_html for the strings these messages carry (sanitize_user already removed tags and entities).
func escHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#039;").Replace(s)
}
