<?php
/**
 * Plugin Name: wpsidecar shadow-mode test routes
 * Description: Test fixture of the wpsidecar project (testdata/shadow), loaded as a must-use plugin by the
 * shadow end-to-end test. A read route whose answer the test controls through the option
 * wpsidecar_shadow_test_answer (JSON text), and a write route with one required argument that records what it
 * was sent in the option wpsidecar_shadow_test_last_write. The test registers the same routes in the sidecar.
 */

add_action(
	'rest_api_init',
	function () {
		register_rest_route(
			'wpsidecar-shadow-test/v1',
			'/items/(?P<id>[0-9]+)',
			array(
				'methods'             => 'GET',
				'permission_callback' => '__return_true',
				'callback'            => function ( WP_REST_Request $request ) {
					$item     = json_decode( (string) get_option( 'wpsidecar_shadow_test_answer', 'null' ) );
					$response = new WP_REST_Response( array( 'id' => (int) $request['id'], 'item' => $item ) );
					$response->header( 'X-Answered-By', 'php' );
					return $response;
				},
			)
		);
		register_rest_route(
			'wpsidecar-shadow-test/v1',
			'/items',
			array(
				'methods'             => 'POST',
				'permission_callback' => '__return_true',
				'args'                => array(
					'name' => array(
						'required' => true,
						'type'     => 'string',
					),
				),
				'callback'            => function ( WP_REST_Request $request ) {
					update_option( 'wpsidecar_shadow_test_last_write', $request['name'], false );
					$response = new WP_REST_Response( array( 'created' => $request['name'] ), 201 );
					$response->header( 'X-Answered-By', 'php' );
					return $response;
				},
			)
		);
	}
);
