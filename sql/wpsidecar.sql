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
