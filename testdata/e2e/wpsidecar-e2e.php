<?php
/**
 * Plugin Name: wpsidecar end-to-end marker
 * Description: Test plugin of the wpsidecar project (cmd/wpsidecar/nginx_e2e_test.go). It registers the REST paths the
 * sidecar owns, plus a few it does not, and marks every REST answer PHP gives with "X-Answered-By: php", so a test
 * can tell which side answered a request that went through nginx. Every call to a registered route is recorded
 * (method, route, query, raw body, in order) in the option "wpsidecar_e2e_calls", which GET wpsidecar-e2e/v1/calls
 * returns and DELETE wpsidecar-e2e/v1/calls clears: the delegation tests show a request handed to PHP by the sidecar
 * reached PHP exactly once, with its method and body intact.
 */

add_action( 'rest_api_init', function () {
	$answer = function ( WP_REST_Request $request ) {
		$calls   = get_option( 'wpsidecar_e2e_calls', array() );
		$calls[] = array(
			'method' => $request->get_method(),
			'route'  => $request->get_route(),
			'query'  => (object) $request->get_query_params(),
			'body'   => $request->get_body(),
		);
		update_option( 'wpsidecar_e2e_calls', $calls, false );
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
		'fluent-cart/v2'   => array( '/customers', '/customers/(?P<id>[^/]+)', '/customers/(?P<customerId>\d+)/orders', '/customers/(?P<customerId>\d+)/order' ),
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
	register_rest_route(
		'wpsidecar-e2e/v1',
		'/calls',
		array(
			array(
				'methods'             => 'GET',
				'callback'            => function () {
					return new WP_REST_Response( array_values( get_option( 'wpsidecar_e2e_calls', array() ) ), 200 );
				},
				'permission_callback' => '__return_true',
			),
			array(
				'methods'             => 'DELETE',
				'callback'            => function () {
					delete_option( 'wpsidecar_e2e_calls' );
					return new WP_REST_Response( array( 'deleted' => true ), 200 );
				},
				'permission_callback' => '__return_true',
			),
		)
	);
} );

add_filter( 'rest_post_dispatch', function ( $response ) {
	if ( $response instanceof WP_HTTP_Response ) {
		$response->header( 'X-Answered-By', 'php' );
	}
	return $response;
} );
