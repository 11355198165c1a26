import React from 'react';

// Jest stand-in for @grafana/runtime's DataSourcePicker: a plain select offering the current uid and one other.
export function FakeDataSourcePicker({
  type,
  current,
  onChange,
}: {
  type: string;
  current: string;
  onChange: (ds: { uid: string }) => void;
}) {
  return (
    <select aria-label={`picker ${type}`} value={current} onChange={(e) => onChange({ uid: e.target.value })}>
      {Array.from(new Set([current, `other-${type}`])).map((uid) => (
        <option key={uid} value={uid}>
          {uid}
        </option>
      ))}
    </select>
  );
}
