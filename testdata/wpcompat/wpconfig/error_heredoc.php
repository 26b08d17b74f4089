<?php
define('DB_NAME', 'h');
define('AUTH_KEY', <<<EOT
heredoc-secret
EOT
);
