-- wpsidecar's own tables. They live beside WordPress's and the plugins' tables with the site prefix and the
-- `wpsidecar_` namespace, so they never collide with a real plugin's tables (e.g. the LatePoint API Extension's
-- latepoint_api_* tables). `serve`, `keys` and `clients` create them when missing; nothing here alters a table the
-- sidecar does not own. All timestamps in these tables are UTC. Designs follow latepoint-customers.md §8.1–§8.3.

-- {prefix}wpsidecar_meta: schema version and small facts about the sidecar's own data.
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_meta` (
  `meta_key` varchar(191) NOT NULL,
  `meta_value` text NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`meta_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- {prefix}wpsidecar_api_keys: LatePoint API Extension keys (lp_live_… / lp_test_…), stored only as SHA-256 hashes.
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_api_keys` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(191) NOT NULL,
  `key_prefix` varchar(16) NOT NULL,
  `key_last4` char(4) NOT NULL,
  `key_hash` char(64) NOT NULL,
  `environment` varchar(10) NOT NULL,
  `permissions` text NOT NULL,
  `status` varchar(20) NOT NULL DEFAULT 'active',
  `allowed_ips` text DEFAULT NULL,
  `limit_per_minute` int(10) unsigned DEFAULT NULL,
  `limit_per_hour` int(10) unsigned DEFAULT NULL,
  `expires_at` datetime DEFAULT NULL,
  `last_used_at` datetime DEFAULT NULL,
  `last_used_ip` varchar(45) DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  `revoked_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `key_hash_unique` (`key_hash`),
  KEY `status_index` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- {prefix}wpsidecar_rate_limits: fixed-window request counters shared by every sidecar instance.
-- `subject` is e.g. 'apikey:12' or 'client:abc'; `window_type` 'minute' | 'hour'.
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_rate_limits` (
  `subject` varchar(64) NOT NULL,
  `window_type` varchar(6) NOT NULL,
  `window_start` datetime NOT NULL,
  `request_count` int(10) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`subject`,`window_type`,`window_start`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- {prefix}wpsidecar_api_logs: request audit log (no bodies, no secrets), written in batches.
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_api_logs` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `request_id` varchar(32) NOT NULL,
  `api_key_id` bigint(20) unsigned DEFAULT NULL,
  `key_prefix` varchar(16) DEFAULT NULL,
  `method` varchar(8) NOT NULL,
  `route` varchar(191) NOT NULL,
  `status_code` smallint(6) NOT NULL,
  `error_code` varchar(64) DEFAULT NULL,
  `ip` varchar(45) NOT NULL,
  `user_agent` varchar(255) DEFAULT NULL,
  `duration_ms` int(10) unsigned NOT NULL,
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `key_time` (`api_key_id`,`created_at`),
  KEY `created_at_index` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- {prefix}wpsidecar_customer_links: the unified customer API's identities (unified/, README "Unified customer API").
-- One row per person: the uuid partners address (a FluentCart fct_customers.uuid when the person had one when the
-- row was made, else one the sidecar drew, same format: 32 lower-case hex) and the WordPress user and plugin
-- customers it links (each NULL when absent; each row of theirs belongs to at most one person). phone, website,
-- status, billing_address and shipping_address are fallbacks, used only while the field's natural home (a LatePoint
-- customer, a FluentCart customer or address, a WordPress user) does not exist. changed_at is the last time the API
-- really changed a field (UTC); created_at when the link was made (UTC).
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_customer_links` (
  `uuid` char(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `user_id` bigint(20) unsigned DEFAULT NULL,
  `fct_customer_id` bigint(20) unsigned DEFAULT NULL,
  `latepoint_customer_id` bigint(20) unsigned DEFAULT NULL,
  `phone` varchar(50) DEFAULT NULL,
  `website` varchar(100) DEFAULT NULL,
  `status` varchar(20) DEFAULT NULL,
  `billing_address` text DEFAULT NULL,
  `shipping_address` text DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `changed_at` datetime DEFAULT NULL,
  PRIMARY KEY (`uuid`),
  UNIQUE KEY `user_id_unique` (`user_id`),
  UNIQUE KEY `fct_customer_id_unique` (`fct_customer_id`),
  UNIQUE KEY `latepoint_customer_id_unique` (`latepoint_customer_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- {prefix}wpsidecar_clients: partners of the unified API (`wpsidecar clients create|list|revoke`). The HMAC secret
-- must be available in plain form to verify signatures, so it is stored encrypted, never hashed and never plain:
-- secret_enc = base64(12-byte nonce || AES-256-GCM ciphertext), additional data = client_id, under the 32-byte key
-- of --secrets-key-file; key_id is a fingerprint of that key (SHA-256 based, 16 hex) to detect a wrong key file.
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_clients` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `client_id` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `name` varchar(191) NOT NULL,
  `secret_enc` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `key_id` char(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `rate_limit_per_minute` int(10) unsigned DEFAULT NULL,
  `status` varchar(20) NOT NULL DEFAULT 'active',
  `created_at` datetime NOT NULL,
  `last_used_at` datetime DEFAULT NULL,
  `revoked_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `client_id_unique` (`client_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- {prefix}wpsidecar_seen_signatures: signatures accepted inside the ±300 s window, so that every sidecar instance
-- rejects a replay (the INSERT fails on the primary key). Rows older than 15 minutes are purged.
CREATE TABLE IF NOT EXISTS `{prefix}wpsidecar_seen_signatures` (
  `client_id` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `signature` binary(32) NOT NULL,
  `seen_at` datetime NOT NULL,
  PRIMARY KEY (`client_id`,`signature`),
  KEY `seen_at_index` (`seen_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
