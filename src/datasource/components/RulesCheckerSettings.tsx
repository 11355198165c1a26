import React from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, TagsInput } from '@grafana/ui';
import { FalcoOptions, FalcoSecureOptions } from '../types';
import { falcoPluginsProblem } from './validation';

type Props = DataSourcePluginOptionsEditorProps<FalcoOptions, FalcoSecureOptions>;

// The plugins the user's Falco loads (its load_plugins): the rules checker then knows their event sources
// (k8s_audit, aws_cloudtrail, ...) instead of skipping their rules as the chart's default Falco does.
export function RulesCheckerSettings({ options, onOptionsChange }: Props) {
  const plugins = options.jsonData.falcoPlugins ?? [];
  const problem = falcoPluginsProblem(plugins);
  return (
    <FieldSet label="Rules checker">
      <Field
        label="Falco plugins"
        htmlFor="falco-plugins"
        description="The plugins your Falco loads (load_plugins in falco.yaml), for example k8saudit. Rules of their event sources are checked instead of skipped. Empty: none, as in the Falco chart's default."
        invalid={!!problem}
        error={problem}
      >
        <TagsInput
          id="falco-plugins"
          placeholder="Plugin name, then Enter"
          tags={plugins}
          addOnBlur
          autoColors={false}
          width={60}
          onChange={(tags) =>
            onOptionsChange({
              ...options,
              jsonData: { ...options.jsonData, falcoPlugins: tags.length > 0 ? tags : undefined },
            })
          }
        />
      </Field>
    </FieldSet>
  );
}
