import { useEffect, useState } from 'react';
import { onTransportState, type TransportState } from '../api/client';

/** Says plainly when browser mode has lost its local host (the app core), which is not the same as offline sync. */
export function ConnectionNotice() {
  const [state, setState] = useState<TransportState>('connecting');
  useEffect(() => onTransportState(setState), []);
  if (state === 'closed') {
    return (
      <p role="alert" className="error">
        Lost the connection to the local Curio host; reconnecting… (is `npm start` still running?)
      </p>
    );
  }
  return null;
}
