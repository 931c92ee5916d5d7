import { useEffect, useRef } from 'react';
import { useUi } from '../../state/ui-store';

/** The library's search box; Ctrl+K or / focuses it from anywhere. */
export function SearchBox(props: { label: string; value: string; onChange: (value: string) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const focusRequest = useUi((s) => s.searchFocusRequest);
  useEffect(() => {
    if (focusRequest > 0) ref.current?.focus();
  }, [focusRequest]);
  return (
    <label>
      {props.label}
      <input
        ref={ref}
        type="search"
        value={props.value}
        placeholder="Type to search (Ctrl+K)"
        onChange={(event) => props.onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && props.value) {
            event.stopPropagation();
            props.onChange('');
          }
        }}
      />
    </label>
  );
}
