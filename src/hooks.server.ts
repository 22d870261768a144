import { sequence } from '@sveltejs/kit/hooks';
import { handleTurns } from './hooks/turns';
import { handleStorageFailure } from './hooks/storage-failure';
import { handleSecurityHeaders } from './hooks/security-headers';
import { handleLocale } from './hooks/locale';
import { handleContext } from './hooks/context';
import { handleFormBody } from './hooks/form-body';
import { handleOrigin } from './hooks/origin';
import { handleTransport } from './hooks/transport';
import { handleFhir } from './hooks/fhir';

// Wiring only: each handle lives in src/hooks/, in the order a request meets them.
export { init } from './hooks/start';
export { handleError } from './hooks/storage-failure';

export const handle = sequence(handleTurns, handleStorageFailure, handleSecurityHeaders, handleTransport, handleLocale, handleOrigin, handleContext, handleFhir, handleFormBody);
