import React from 'react';
import { Combobox, ComboboxOption, Field, Input, Stack } from '@grafana/ui';
import type { Exporter, QueryCategory } from '../../queries/types';
import { EXPORTERS } from '../../queries';
import { CATEGORY_TITLES } from './catalogTypes';
import type { LibraryScene } from './LibraryScene';
import { testIds } from './testIds';

// Search, category and exporter filters; every change lands in the URL through the scene.
export function FilterBar({ model }: { model: LibraryScene }) {
  const { search, category, exporter } = model.useState();
  const categories: Array<ComboboxOption<QueryCategory>> = Object.entries(CATEGORY_TITLES).map(([value, label]) => ({
    value: value as QueryCategory,
    label,
  }));
  const exporters: Array<ComboboxOption<Exporter>> = Object.entries(EXPORTERS).map(([value, info]) => ({
    value: value as Exporter,
    label: info.title,
  }));
  return (
    <Stack gap={2} wrap="wrap">
      <Field label="Search" noMargin>
        <Input
          data-testid={testIds.search}
          placeholder="id, title or description"
          value={search}
          width={40}
          onChange={(e) => model.setFilter({ search: e.currentTarget.value })}
        />
      </Field>
      <Field label="Category" noMargin>
        <Combobox
          placeholder="All categories"
          options={categories}
          value={category ?? null}
          isClearable
          width={30}
          onChange={(option) => model.setFilter({ category: option?.value })}
        />
      </Field>
      <Field label="Exporter" noMargin>
        <Combobox
          placeholder="All exporters"
          options={exporters}
          value={exporter ?? null}
          isClearable
          width={30}
          onChange={(option) => model.setFilter({ exporter: option?.value })}
        />
      </Field>
    </Stack>
  );
}
