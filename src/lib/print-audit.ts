/**
 * Printing a health record is audited however it is started — a button's window.print(), Ctrl+P
 * or the browser's menu all fire `beforeprint` — once per print (until `afterprint`). The page
 * prints whether or not the note arrives; keepalive lets it go out while the print dialog is open.
 * @example const audit = printAudit(() => `/patients/${id}/printed`); // <svelte:window onbeforeprint={audit.started} onafterprint={audit.ended} />
 */
export function printAudit(address: () => string): { started: () => void; ended: () => void } {
	let printing = false;
	return {
		started: () => {
			if (printing) return;
			printing = true;
			fetch(address(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', keepalive: true }).catch(() => undefined);
		},
		ended: () => {
			printing = false;
		}
	};
}
