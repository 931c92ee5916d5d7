import { useEffect, useId, useState } from 'react';
import { onTransportState, type TransportState } from '../api/client';
import { checkLaunchToken, openPrintedAddress, type LaunchCheck } from '../api/connection';

/** How often a page that lost its host asks whether the host is back, and with which secret. */
const CHECK_EVERY_MS = 2_000;

/**
 * Says plainly when browser mode has lost its local host (the app core), which
 * is not the same as offline sync. The page reconnects by itself when the host
 * comes back with the same secret; when it came back with a new one, this asks
 * for the new address.
 */
export function ConnectionNotice() {
  const [state, setState] = useState<TransportState>('connecting');
  const [launch, setLaunch] = useState<LaunchCheck>('unreachable');
  useEffect(() => onTransportState(setState), []);
  useEffect(() => {
    if (state !== 'closed') return;
    let stopped = false;
    const check = () =>
      void checkLaunchToken().then((result) => {
        if (!stopped) setLaunch(result);
      });
    check();
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [state]);
  if (state !== 'closed') return null;
  return (
    <div role="alert" className="notice">
      {launch === 'outdated' ? (
        <p className="error">
          Curio runs again, but with a new address (it was started with a new secret). Paste the address it printed.
        </p>
      ) : launch === 'missing' ? (
        <p className="error">
          This page needs the whole address `npm start` printed: its end (#token=…) is the secret that lets it in.
        </p>
      ) : (
        <p className="error">
          Lost the connection to the local Curio host; reconnecting… (is `npm start` still running?)
        </p>
      )}
      <NewAddressForm prompt={launch === 'unreachable' ? 'Started on another address? Paste it' : 'New address'} />
    </div>
  );
}

function NewAddressForm(props: { prompt: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="toolbar"
      aria-label="Open a new address"
      onSubmit={(event) => {
        event.preventDefault();
        setProblem(openPrintedAddress(text));
      }}
    >
      <label htmlFor={id}>{props.prompt}</label>
      <input
        id={id}
        value={text}
        placeholder="http://127.0.0.1:5310/#token=…"
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="btn">
        Open
      </button>
      {problem ? (
        <span id={`${id}-problem`} className="field-error">
          {problem}
        </span>
      ) : null}
    </form>
  );
}
