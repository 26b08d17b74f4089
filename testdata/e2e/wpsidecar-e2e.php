<?php
/**
 * Plugin Name: wpsidecar end-to-end marker
 * Description: Test plugin of the wpsidecar project (cmd/wpsidecar/nginx_e2e_test.go). It registers the REST paths the
 * sidecar owns, plus a few it does not, and marks every REST answer PHP gives with "X-Answered-By: php", so a test
 * can tell which side answered a request that went through nginx.
 */

add_action( 'rest_api_init', function () {
	$answer = function ( WP_REST_Request $request ) {
		return new WP_REST_Response(
			array(
				'answered_by' => 'php',
				'route'       => $request->get_route(),
				'method'      => $request->get_method(),
			),
			200
		);
	};
	$routes = array(
		'fluent-cart/v2'   => array( '/customers', '/customers/(?P<id>[^/]+)' ),
		'latepoint-api/v1' => array( '/customers', '/customers/(?P<id>\d+)', '/status', '/bookings' ),
		'wpsidecar-e2e/v1' => array( '/ping' ),
	);
	foreach ( $routes as $namespace => $paths ) {
		foreach ( $paths as $path ) {
			register_rest_route(
				$namespace,
				$path,
				array(
					'methods'             => 'GET, POST, PUT, PATCH, DELETE',
					'callback'            => $answer,
					'permission_callback' => '__return_true',
				)
			);
		}
	}
} );

add_filter( 'rest_post_dispatch', function ( $response ) {
	if ( $response instanceof WP_HTTP_Response ) {
		$response->header( 'X-Answered-By', 'php' );
	}
	return $response;
} );
