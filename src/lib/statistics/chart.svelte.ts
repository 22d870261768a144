import { untrack } from 'svelte';
import { Chart, type ChartConfiguration, type ChartType } from 'chart.js';

/**
 * An attachment drawing one Chart.js chart on a canvas: created once from the configuration,
 * updated in an effect when the data change, destroyed with the canvas. `config` is read in the
 * effect, so the component's props it reads are tracked.
 */
export function chartAttachment<T extends ChartType>(config: () => ChartConfiguration<T>): (canvas: HTMLCanvasElement) => () => void {
	return (canvas) => {
		const chart = new Chart(canvas, untrack(config));
		canvas.dataset.drawn = '1';
		let first = true;
		$effect(() => {
			const c = config();
			if (first) {
				first = false;
				return;
			}
			chart.data = c.data;
			chart.update();
		});
		return () => chart.destroy();
	};
}
