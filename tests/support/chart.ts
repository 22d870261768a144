import type { Page } from 'playwright-core';

/** What one trajectory panel draws, read back from its Chart.js instance (canvases expose `stemmeChart`). */
export interface Drawn {
	datasets: {
		id: string;
		label: string;
		data: { x: number; y: number | null }[];
		spanGaps: boolean;
		pointBackgroundColor?: string[];
		meta?: { session: number; level: string | null; reasons: string[] }[];
	}[];
	annotations: Record<string, { type: string; xValue?: number; yMin?: number; direction?: string; session?: number; label?: { content?: string; position?: string } }>;
	yMax: number;
	xMin: number;
}

type ChartOnCanvas = HTMLCanvasElement & {
	stemmeChart: {
		data: { datasets: unknown[] };
		options: { plugins: { annotation: { annotations: unknown } }; scales: { x: { min: number }; y: { max: number } } };
	};
};

/** The datasets and annotations of one panel, read from its Chart.js instance. */
export async function drawn(page: Page, panel: 'outcome' | 'alliance'): Promise<Drawn> {
	const canvas = page.locator(`canvas[data-panel="${panel}"][data-drawn]`).first();
	await canvas.waitFor({ state: 'attached' });
	return canvas.evaluate((el) => {
		const chart = (el as ChartOnCanvas).stemmeChart;
		return JSON.parse(
			JSON.stringify({ datasets: chart.data.datasets, annotations: chart.options.plugins.annotation.annotations, yMax: chart.options.scales.y.max, xMin: chart.options.scales.x.min })
		) as never;
	});
}

/** Waits until the panel's chart satisfies `ready` (it is updated in place when a choice changes). */
export async function drawnWhen(page: Page, panel: 'outcome' | 'alliance', ready: (d: Drawn) => boolean): Promise<Drawn> {
	for (let i = 0; i < 50; i++) {
		const d = await drawn(page, panel);
		if (ready(d)) return d;
		await page.waitForTimeout(100);
	}
	throw new Error(`the ${panel} panel never showed what was waited for`);
}

/**
 * The tooltip Chart.js shows for point `index` of the panel's first dataset: made active as a
 * hover would, then read from the chart's tooltip (title, body lines and the lines after them).
 */
export async function tooltip(page: Page, panel: 'outcome' | 'alliance', index: number): Promise<{ title: string[]; body: string[]; after: string[] }> {
	const canvas = page.locator(`canvas[data-panel="${panel}"][data-drawn]`).first();
	return canvas.evaluate((el, i) => {
		type Tip = { setActiveElements(e: { datasetIndex: number; index: number }[], at: { x: number; y: number }): void; title: string[]; body: { lines: string[] }[]; afterBody: string[] };
		const chart = (el as unknown as { stemmeChart: { tooltip: Tip; getDatasetMeta(i: number): { data: { x: number; y: number }[] }; update(): void } }).stemmeChart;
		const point = chart.getDatasetMeta(0).data[i]!;
		chart.tooltip.setActiveElements([{ datasetIndex: 0, index: i }], { x: point.x, y: point.y });
		chart.update();
		return { title: chart.tooltip.title, body: chart.tooltip.body.flatMap((b) => b.lines), after: chart.tooltip.afterBody };
	}, index);
}
