import { describe, expect, it } from 'vitest';
import { auditDetailText } from './audit-words';

// The reader's language is the base locale (nb) here; the codes stay beside the words for searching.
describe('auditDetailText names a rating in the reader’s language', () => {
	it.each([
		{ action: 'rated' as const, detail: 'stemme-outcome-adult by patient (tablet)', words: 'stemme-outcome-adult, pasienten, nettbrett' },
		{ action: 'rated' as const, detail: 'stemme-alliance-group by group-member (tablet)', words: 'stemme-alliance-group, gruppedeltaker, nettbrett' },
		{
			action: 'rated' as const,
			detail: 'stemme-outcome-adult by collateral (paper); kept on the tablet, sent from the staff pages',
			words: 'stemme-outcome-adult, pårørende, papir; holdt på nettbrettet, sendt fra personalets sider'
		},
		{ action: 'changed_record' as const, detail: 'corrected rating 41: feil linje', words: 'Skåre 41 rettet: feil linje' },
		// A detail it does not know is shown as written.
		{ action: 'rated' as const, detail: 'something else', words: 'something else' }
	])('$detail', ({ action, detail, words }) => {
		expect(auditDetailText(action, detail)).toBe(words);
	});
});
