-- LatePoint 5.0.15 tables (latepoint_db_version 2.1.4), exactly as the plugin creates them on activation
-- (lib/helpers/database_helper.php, OsDatabaseHelper::get_initial_table_queries(), applied with dbDelta), read back from
-- MariaDB 10.11 with SHOW CREATE TABLE. `{prefix}` is replaced by the site's prefix.
-- All latepoint_* tables are included (customers, customer_meta, bookings, booking_meta, services, agents,
-- locations, orders, order_items, transactions, and the tables the customer delete cascade touches).

-- {prefix}latepoint_activities
CREATE TABLE `{prefix}latepoint_activities` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `agent_id` int(11) DEFAULT NULL,
  `booking_id` int(11) DEFAULT NULL,
  `service_id` int(11) DEFAULT NULL,
  `customer_id` int(11) DEFAULT NULL,
  `location_id` int(11) DEFAULT NULL,
  `order_id` int(11) DEFAULT NULL,
  `order_item_id` int(11) DEFAULT NULL,
  `code` varchar(255) NOT NULL,
  `description` text DEFAULT NULL,
  `initiated_by` varchar(100) DEFAULT NULL,
  `initiated_by_id` int(11) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_agent_meta
CREATE TABLE `{prefix}latepoint_agent_meta` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `object_id` mediumint(9) NOT NULL,
  `meta_key` varchar(110) NOT NULL,
  `meta_value` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `meta_key_index` (`meta_key`),
  KEY `object_id_index` (`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_agents
CREATE TABLE `{prefix}latepoint_agents` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `avatar_image_id` int(11) DEFAULT NULL,
  `bio_image_id` int(11) DEFAULT NULL,
  `first_name` varchar(255) NOT NULL,
  `last_name` varchar(255) DEFAULT NULL,
  `display_name` varchar(255) DEFAULT NULL,
  `title` varchar(255) DEFAULT NULL,
  `bio` text DEFAULT NULL,
  `features` text DEFAULT NULL,
  `email` varchar(110) NOT NULL,
  `phone` varchar(255) DEFAULT NULL,
  `password` varchar(255) DEFAULT NULL,
  `custom_hours` tinyint(1) DEFAULT NULL,
  `wp_user_id` int(11) DEFAULT NULL,
  `status` varchar(20) NOT NULL,
  `extra_emails` text DEFAULT NULL,
  `extra_phones` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `email_index` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_agents_services
CREATE TABLE `{prefix}latepoint_agents_services` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `agent_id` int(11) NOT NULL,
  `service_id` int(11) NOT NULL,
  `location_id` int(11) DEFAULT NULL,
  `is_custom_hours` tinyint(1) DEFAULT NULL,
  `is_custom_price` tinyint(1) DEFAULT NULL,
  `is_custom_duration` tinyint(1) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `agent_id_index` (`agent_id`),
  KEY `service_id_index` (`service_id`),
  KEY `location_id_index` (`location_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_booking_meta
CREATE TABLE `{prefix}latepoint_booking_meta` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `object_id` mediumint(9) NOT NULL,
  `meta_key` varchar(110) NOT NULL,
  `meta_value` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `meta_key_index` (`meta_key`),
  KEY `object_id_index` (`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_bookings
CREATE TABLE `{prefix}latepoint_bookings` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `booking_code` varchar(10) DEFAULT NULL,
  `start_date` date DEFAULT NULL,
  `end_date` date DEFAULT NULL,
  `start_time` mediumint(9) DEFAULT NULL,
  `end_time` mediumint(9) DEFAULT NULL,
  `start_datetime_utc` datetime DEFAULT NULL,
  `end_datetime_utc` datetime DEFAULT NULL,
  `buffer_before` mediumint(9) NOT NULL,
  `buffer_after` mediumint(9) NOT NULL,
  `duration` mediumint(9) DEFAULT NULL,
  `status` varchar(30) NOT NULL DEFAULT 'pending',
  `customer_id` mediumint(9) NOT NULL,
  `service_id` mediumint(9) NOT NULL,
  `agent_id` mediumint(9) NOT NULL,
  `location_id` mediumint(9) DEFAULT NULL,
  `order_item_id` mediumint(9) DEFAULT NULL,
  `total_attendees` mediumint(4) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `start_date_index` (`start_date`),
  KEY `end_date_index` (`end_date`),
  KEY `status_index` (`status`),
  KEY `customer_id_index` (`customer_id`),
  KEY `service_id_index` (`service_id`),
  KEY `agent_id_index` (`agent_id`),
  KEY `location_id_index` (`location_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_bundles
CREATE TABLE `{prefix}latepoint_bundles` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `short_description` text DEFAULT NULL,
  `charge_amount` decimal(20,4) DEFAULT NULL,
  `deposit_amount` decimal(20,4) DEFAULT NULL,
  `status` varchar(20) NOT NULL,
  `visibility` varchar(20) NOT NULL,
  `order_number` int(11) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `order_number_index` (`order_number`),
  KEY `status_index` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_bundles_services
CREATE TABLE `{prefix}latepoint_bundles_services` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `bundle_id` mediumint(9) DEFAULT NULL,
  `service_id` mediumint(9) DEFAULT NULL,
  `total_attendees` mediumint(4) DEFAULT NULL,
  `duration` int(11) DEFAULT NULL,
  `quantity` mediumint(4) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `bundle_id_index` (`bundle_id`),
  KEY `service_id_index` (`service_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_cart_items
CREATE TABLE `{prefix}latepoint_cart_items` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `cart_id` int(11) NOT NULL,
  `variant` varchar(55) DEFAULT NULL,
  `item_data` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `cart_id_index` (`cart_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_cart_meta
CREATE TABLE `{prefix}latepoint_cart_meta` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `object_id` mediumint(9) NOT NULL,
  `meta_key` varchar(110) NOT NULL,
  `meta_value` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `meta_key_index` (`meta_key`),
  KEY `object_id_index` (`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_carts
CREATE TABLE `{prefix}latepoint_carts` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `uuid` varchar(36) DEFAULT NULL,
  `order_intent_id` int(11) DEFAULT NULL,
  `order_id` int(11) DEFAULT NULL,
  `coupon_code` varchar(100) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `uuid_index` (`uuid`),
  KEY `order_id_index` (`order_id`),
  KEY `order_intent_id_index` (`order_intent_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_custom_prices
CREATE TABLE `{prefix}latepoint_custom_prices` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `agent_id` int(11) NOT NULL,
  `service_id` int(11) NOT NULL,
  `location_id` int(11) NOT NULL,
  `is_price_variable` tinyint(1) DEFAULT NULL,
  `price_min` decimal(20,4) DEFAULT NULL,
  `price_max` decimal(20,4) DEFAULT NULL,
  `charge_amount` decimal(20,4) DEFAULT NULL,
  `is_deposit_required` tinyint(1) DEFAULT NULL,
  `deposit_amount` decimal(20,4) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `agent_id_index` (`agent_id`),
  KEY `service_id_index` (`service_id`),
  KEY `location_id_index` (`location_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_customer_meta
CREATE TABLE `{prefix}latepoint_customer_meta` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `object_id` mediumint(9) NOT NULL,
  `meta_key` varchar(110) NOT NULL,
  `meta_value` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `meta_key_index` (`meta_key`),
  KEY `object_id_index` (`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_customers
CREATE TABLE `{prefix}latepoint_customers` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `first_name` varchar(255) DEFAULT NULL,
  `last_name` varchar(255) DEFAULT NULL,
  `email` varchar(110) NOT NULL,
  `phone` varchar(255) DEFAULT NULL,
  `avatar_image_id` int(11) DEFAULT NULL,
  `status` varchar(50) NOT NULL,
  `password` varchar(255) DEFAULT NULL,
  `activation_key` varchar(255) DEFAULT NULL,
  `account_nonse` varchar(255) DEFAULT NULL,
  `google_user_id` varchar(255) DEFAULT NULL,
  `facebook_user_id` varchar(255) DEFAULT NULL,
  `wordpress_user_id` int(11) DEFAULT NULL,
  `is_guest` tinyint(1) DEFAULT NULL,
  `notes` text DEFAULT NULL,
  `admin_notes` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `email_index` (`email`),
  KEY `status_index` (`status`),
  KEY `wordpress_user_id_index` (`wordpress_user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_location_categories
CREATE TABLE `{prefix}latepoint_location_categories` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(100) NOT NULL,
  `short_description` text DEFAULT NULL,
  `parent_id` mediumint(9) DEFAULT NULL,
  `selection_image_id` int(11) DEFAULT NULL,
  `order_number` int(11) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `order_number_index` (`order_number`),
  KEY `parent_id_index` (`parent_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_locations
CREATE TABLE `{prefix}latepoint_locations` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `full_address` text DEFAULT NULL,
  `status` varchar(20) NOT NULL,
  `category_id` int(11) DEFAULT NULL,
  `order_number` int(11) DEFAULT NULL,
  `selection_image_id` int(11) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `status_index` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_order_intents
CREATE TABLE `{prefix}latepoint_order_intents` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `intent_key` varchar(55) NOT NULL,
  `customer_id` int(11) NOT NULL,
  `cart_items_data` text DEFAULT NULL,
  `restrictions_data` text DEFAULT NULL,
  `presets_data` text DEFAULT NULL,
  `payment_data` text DEFAULT NULL,
  `other_data` text DEFAULT NULL,
  `order_id` int(11) DEFAULT NULL,
  `booking_form_page_url` text DEFAULT NULL,
  `total` decimal(20,4) DEFAULT NULL,
  `subtotal` decimal(20,4) DEFAULT NULL,
  `coupon_code` varchar(100) DEFAULT NULL,
  `coupon_discount` decimal(20,4) DEFAULT NULL,
  `tax_total` decimal(20,4) DEFAULT NULL,
  `charge_amount` decimal(20,4) DEFAULT NULL,
  `specs_charge_amount` varchar(55) DEFAULT NULL,
  `price_breakdown` text DEFAULT NULL,
  `status` varchar(30) NOT NULL DEFAULT 'new',
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `intent_key_index` (`intent_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_order_invoices
CREATE TABLE `{prefix}latepoint_order_invoices` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `order_id` int(11) NOT NULL,
  `invoice_data` text DEFAULT NULL,
  `status` varchar(30) NOT NULL DEFAULT 'not_paid',
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `order_id_index` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_order_items
CREATE TABLE `{prefix}latepoint_order_items` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `order_id` int(11) NOT NULL,
  `variant` varchar(55) DEFAULT NULL,
  `item_data` text DEFAULT NULL,
  `subtotal` decimal(20,4) DEFAULT NULL,
  `total` decimal(20,4) DEFAULT NULL,
  `coupon_code` varchar(100) DEFAULT NULL,
  `coupon_discount` decimal(20,4) DEFAULT NULL,
  `tax_total` decimal(20,4) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `order_id_index` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_order_meta
CREATE TABLE `{prefix}latepoint_order_meta` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `object_id` mediumint(9) NOT NULL,
  `meta_key` varchar(110) NOT NULL,
  `meta_value` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `meta_key_index` (`meta_key`),
  KEY `object_id_index` (`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_orders
CREATE TABLE `{prefix}latepoint_orders` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `subtotal` decimal(20,4) DEFAULT NULL,
  `total` decimal(20,4) DEFAULT NULL,
  `status` varchar(30) NOT NULL DEFAULT 'open',
  `fulfillment_status` varchar(30) NOT NULL DEFAULT 'not_fulfilled',
  `payment_status` varchar(30) NOT NULL DEFAULT 'not_paid',
  `source_id` varchar(100) DEFAULT NULL,
  `source_url` text DEFAULT NULL,
  `ip_address` varchar(55) DEFAULT NULL,
  `customer_id` int(11) NOT NULL,
  `customer_comment` text DEFAULT NULL,
  `confirmation_code` varchar(10) DEFAULT NULL,
  `price_breakdown` text DEFAULT NULL,
  `coupon_code` varchar(100) DEFAULT NULL,
  `coupon_discount` decimal(20,4) DEFAULT NULL,
  `tax_total` decimal(20,4) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `customer_id_index` (`customer_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_process_jobs
CREATE TABLE `{prefix}latepoint_process_jobs` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `process_id` int(11) NOT NULL,
  `object_id` int(11) NOT NULL,
  `object_model_type` varchar(55) DEFAULT NULL,
  `settings` text DEFAULT NULL,
  `to_run_after_utc` datetime DEFAULT NULL,
  `status` varchar(30) DEFAULT 'scheduled',
  `run_result` text DEFAULT NULL,
  `process_info` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_processes
CREATE TABLE `{prefix}latepoint_processes` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(110) NOT NULL,
  `event_type` varchar(110) NOT NULL,
  `actions_json` text DEFAULT NULL,
  `status` varchar(30) DEFAULT 'active',
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_service_categories
CREATE TABLE `{prefix}latepoint_service_categories` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(100) NOT NULL,
  `short_description` text DEFAULT NULL,
  `parent_id` mediumint(9) DEFAULT NULL,
  `selection_image_id` int(11) DEFAULT NULL,
  `order_number` int(11) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `order_number_index` (`order_number`),
  KEY `parent_id_index` (`parent_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_service_meta
CREATE TABLE `{prefix}latepoint_service_meta` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `object_id` mediumint(9) NOT NULL,
  `meta_key` varchar(110) NOT NULL,
  `meta_value` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `meta_key_index` (`meta_key`),
  KEY `object_id_index` (`object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_services
CREATE TABLE `{prefix}latepoint_services` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `short_description` text DEFAULT NULL,
  `is_price_variable` tinyint(1) DEFAULT NULL,
  `price_min` decimal(20,4) DEFAULT NULL,
  `price_max` decimal(20,4) DEFAULT NULL,
  `charge_amount` decimal(20,4) DEFAULT NULL,
  `deposit_amount` decimal(20,4) DEFAULT NULL,
  `is_deposit_required` tinyint(1) DEFAULT NULL,
  `duration_name` varchar(255) DEFAULT NULL,
  `override_default_booking_status` varchar(255) DEFAULT NULL,
  `duration` int(11) NOT NULL,
  `buffer_before` int(11) DEFAULT NULL,
  `buffer_after` int(11) DEFAULT NULL,
  `category_id` int(11) DEFAULT NULL,
  `order_number` int(11) DEFAULT NULL,
  `selection_image_id` int(11) DEFAULT NULL,
  `description_image_id` int(11) DEFAULT NULL,
  `bg_color` varchar(20) DEFAULT NULL,
  `timeblock_interval` int(11) DEFAULT NULL,
  `capacity_min` int(4) DEFAULT NULL,
  `capacity_max` int(4) DEFAULT NULL,
  `status` varchar(20) NOT NULL,
  `visibility` varchar(20) NOT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `category_id_index` (`category_id`),
  KEY `order_number_index` (`order_number`),
  KEY `status_index` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_sessions
CREATE TABLE `{prefix}latepoint_sessions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `session_key` varchar(55) NOT NULL,
  `session_value` longtext NOT NULL,
  `expiration` bigint(20) unsigned NOT NULL,
  `hash` varchar(50) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `session_key` (`session_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_settings
CREATE TABLE `{prefix}latepoint_settings` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `name` varchar(110) NOT NULL,
  `value` longtext DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `name_index` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_step_settings
CREATE TABLE `{prefix}latepoint_step_settings` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `label` varchar(50) NOT NULL,
  `value` text DEFAULT NULL,
  `step` varchar(50) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `step_index` (`step`),
  KEY `label_index` (`label`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_steps
CREATE TABLE `{prefix}latepoint_steps` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `title` text DEFAULT NULL,
  `before_content` text DEFAULT NULL,
  `after_content` text DEFAULT NULL,
  `side_title` text DEFAULT NULL,
  `side_description` text DEFAULT NULL,
  `use_custom_image` tinyint(1) DEFAULT NULL,
  `custom_image_id` int(11) DEFAULT NULL,
  `code` varchar(100) DEFAULT NULL,
  `parent_step_id` smallint(6) DEFAULT NULL,
  `position` smallint(6) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_transactions
CREATE TABLE `{prefix}latepoint_transactions` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `token` text DEFAULT NULL,
  `invoice_id` int(11) DEFAULT NULL,
  `order_id` int(11) DEFAULT NULL,
  `customer_id` int(11) DEFAULT NULL,
  `processor` varchar(100) DEFAULT NULL,
  `payment_method` varchar(55) DEFAULT NULL,
  `payment_portion` varchar(55) DEFAULT NULL,
  `kind` varchar(40) DEFAULT NULL,
  `status` varchar(100) NOT NULL,
  `amount` decimal(20,4) DEFAULT NULL,
  `notes` text DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;

-- {prefix}latepoint_work_periods
CREATE TABLE `{prefix}latepoint_work_periods` (
  `id` mediumint(9) NOT NULL AUTO_INCREMENT,
  `agent_id` int(11) NOT NULL,
  `service_id` int(11) NOT NULL,
  `location_id` int(11) NOT NULL,
  `start_time` smallint(6) NOT NULL,
  `end_time` smallint(6) NOT NULL,
  `week_day` tinyint(3) NOT NULL,
  `custom_date` date DEFAULT NULL,
  `chain_id` varchar(20) DEFAULT NULL,
  `created_at` datetime DEFAULT NULL,
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `agent_id_index` (`agent_id`),
  KEY `service_id_index` (`service_id`),
  KEY `location_id_index` (`location_id`),
  KEY `week_day_index` (`week_day`),
  KEY `custom_date_index` (`custom_date`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
;
