<?php
/**
 * FluentCart's own PHP for what its REST API does not offer (used by build-store.sh; php-cli on the site's WordPress
 * with FluentCart 1.3.25 active). One command per process: FluentCart's framework keeps the request and the route's
 * model bindings of the first REST dispatch of a process, so a second in-process request would see stale ones.
 *
 *   php fc-php.php WP_PATH sub-order JSON        POST fluent-cart/v2/orders (the admin's "create order"), dispatched
 *                                                in-process as user 1 with FluentCart's filter
 *                                                `fluent_cart/order/is_subscription_allowed_in_manual_order` = true
 *                                                (1.3.25 refuses subscription items in manual orders otherwise). The
 *                                                plugin's AdminOrderProcessor then writes the order, its items, the
 *                                                subscription (status pending) and the pending transaction.
 *   php fc-php.php WP_PATH activate SUB_ID       what a gateway does once the first payment is in:
 *                                                SubscriptionService::syncSubscriptionStates(status active,
 *                                                vendor_subscription_id, next_billing_date = guessNextBillingDate).
 *   php fc-php.php WP_PATH renew SUB_ID N        what a gateway's renewal webhook does: SubscriptionService::
 *                                                recordRenewalPayment (renewal order + item + transaction, bill_count,
 *                                                next_billing_date).
 *   php fc-php.php WP_PATH order-status ID ST    Order::updateStatus('status', ST) (e.g. "failed", which no admin route
 *                                                sets).
 * Prints a JSON result on stdout; exits 1 with the error on stderr.
 */
if ( $argc < 3 ) {
	fwrite( STDERR, "usage: php fc-php.php WP_PATH COMMAND ARGS...\n" );
	exit( 2 );
}
$fcref_url                 = getenv( 'FC_URL' ) ?: 'http://127.0.0.1:8181';
$_SERVER['HTTP_HOST']      = parse_url( $fcref_url, PHP_URL_HOST ) . ( parse_url( $fcref_url, PHP_URL_PORT ) ? ':' . parse_url( $fcref_url, PHP_URL_PORT ) : '' );
$_SERVER['REQUEST_METHOD'] = 'GET';
require rtrim( $argv[1], '/' ) . '/wp-load.php';

use FluentCart\App\Models\Order;
use FluentCart\App\Models\Subscription;
use FluentCart\App\Modules\Subscriptions\Services\SubscriptionService;

function fcref_fail( $msg ) {
	fwrite( STDERR, "fc-php.php: $msg\n" );
	exit( 1 );
}

wp_set_current_user( 1 );
$cmd = $argv[2];
switch ( $cmd ) {
	case 'sub-order':
		add_filter( 'fluent_cart/order/is_subscription_allowed_in_manual_order', '__return_true' );
		$req = new WP_REST_Request( 'POST', '/fluent-cart/v2/orders' );
		$req->set_header( 'content-type', 'application/json' );
		$req->set_body( $argv[3] );
		$res  = rest_do_request( $req );
		$data = rest_get_server()->response_to_data( $res, false );
		if ( $res->get_status() >= 300 ) {
			fcref_fail( 'POST orders -> ' . $res->get_status() . ': ' . wp_json_encode( $data ) );
		}
		$sub = Subscription::query()->where( 'parent_order_id', (int) $data['order_id'] )->first();
		echo wp_json_encode( array( 'order_id' => (int) $data['order_id'], 'subscription_id' => $sub ? (int) $sub->id : null ) ) . "\n";
		break;

	case 'activate':
		$sub = Subscription::query()->find( (int) $argv[3] ) ?: fcref_fail( 'no subscription ' . $argv[3] );
		$sub = SubscriptionService::syncSubscriptionStates( $sub, array(
			'status'                 => 'active',
			'vendor_subscription_id' => 'fcref_sub_' . $sub->id,
			'next_billing_date'      => $sub->guessNextBillingDate( true ),
		) );
		echo wp_json_encode( array( 'subscription_id' => (int) $sub->id, 'status' => $sub->status, 'bill_count' => (int) $sub->bill_count ) ) . "\n";
		break;

	case 'renew':
		$sub = Subscription::query()->find( (int) $argv[3] ) ?: fcref_fail( 'no subscription ' . $argv[3] );
		$tx  = SubscriptionService::recordRenewalPayment( array(
			'subscription_id'  => $sub->id,
			'vendor_charge_id' => 'fcref_renewal_' . $sub->id . '_' . (int) $argv[4],
		), $sub, array( 'next_billing_date' => $sub->guessNextBillingDate( true ) ) );
		if ( is_wp_error( $tx ) ) {
			fcref_fail( 'renewal: ' . $tx->get_error_message() );
		}
		echo wp_json_encode( array( 'subscription_id' => (int) $sub->id, 'order_id' => (int) $tx->order_id, 'transaction_id' => (int) $tx->id ) ) . "\n";
		break;

	case 'order-status':
		$order = Order::query()->find( (int) $argv[3] ) ?: fcref_fail( 'no order ' . $argv[3] );
		$order->updateStatus( 'status', $argv[4] );
		echo wp_json_encode( array( 'order_id' => (int) $order->id, 'status' => $order->status ) ) . "\n";
		break;

	default:
		fcref_fail( "unknown command $cmd" );
}
