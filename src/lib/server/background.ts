/**
 * Background work — fitting the expected trajectories, the drop-out flag sweep, evaluating flags
 * after ratings — runs in slices on the server's one event loop, with requests answered between
 * the slices.
 *
 * Between two slices it waits, by a timer, as long as the last slice took, so it takes at most
 * about half of the loop's time while requests wait. It must not continue with `setImmediate`:
 * libuv accepts one new connection per turn of the event loop (libuv/libuv#3696), and a slice
 * queued with `setImmediate` runs in every turn and makes each turn longer. Measured with
 * `npm run load` during the first fit after a start (400 slices of about 10 ms): the server
 * accepted about 12 new connections a second, and 79 of 200 tablets opening their connections
 * then got no answer within 10 s. With this pause: none, slowest answer 320 ms.
 */
export function pauseAfterSlice(sliceStartedAt: number): Promise<void> {
	const took = performance.now() - sliceStartedAt;
	return new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(took))));
}
