import { describe, expect, it } from 'vitest';
import {
  dynamicMetricsConfig,
  hasContextLabels,
  hubbleMetricsConfig,
  hubbleMetricsPort,
  metricsOf,
  namespaceLabelsFromOptions,
  parseDynamicMetrics,
  parseHubbleMetrics,
  supportsLabelsContext,
} from './hubble-metrics';

describe('parseHubbleMetrics', () => {
  it('splits entries on whitespace and options on ";"', () => {
    expect(
      parseHubbleMetrics(
        'dns:query;ignoreAAAA drop\n  httpV2:exemplars=true;labelsContext=source_ip,source_namespace,destination_workload',
      ),
    ).toEqual([
      { name: 'dns', options: { raw: 'query;ignoreAAAA', parsed: { query: '', ignoreAAAA: '' } } },
      { name: 'drop', options: { raw: '', parsed: {} } },
      {
        name: 'httpV2',
        options: {
          raw: 'exemplars=true;labelsContext=source_ip,source_namespace,destination_workload',
          parsed: { exemplars: 'true', labelsContext: 'source_ip,source_namespace,destination_workload' },
        },
      },
    ]);
  });

  it('keeps the first entry of a repeated name and skips empty ones', () => {
    expect(parseHubbleMetrics(' flow:a=1  :x flow:b=2 ').map((m) => m.options.raw)).toEqual(['a=1']);
  });
});

describe('hubbleMetricsConfig', () => {
  it.each([
    [
      'dns:query;ignoreAAAA drop tcp flow icmp http',
      ':9091',
      {
        enabled: true,
        list: ['dns', 'drop', 'tcp', 'flow', 'icmp', 'http'],
        options: { dns: 'query;ignoreAAAA' },
        serverAddress: ':9091',
      },
    ],
    [
      'dns\n  drop\n  httpV2:exemplars=true;labelsContext=source_namespace,destination_namespace',
      ':9965',
      {
        enabled: true,
        list: ['dns', 'drop', 'httpV2'],
        options: { httpV2: 'exemplars=true;labelsContext=source_namespace,destination_namespace' },
        serverAddress: ':9965',
      },
    ],
    ['dns drop', undefined, { enabled: false, list: ['dns', 'drop'], options: {}, serverAddress: null }],
    [undefined, ':9965', { enabled: false, list: [], options: {}, serverAddress: ':9965' }],
    ['  ', ':9965', { enabled: false, list: [], options: {}, serverAddress: ':9965' }],
  ])('%j with server %j', (value, server, expected) => {
    expect(hubbleMetricsConfig(value, server)).toEqual(expected);
  });

  it('round-trips through metricsOf', () => {
    const value = 'dns:query;ignoreAAAA drop httpV2:exemplars=true';
    expect(metricsOf(hubbleMetricsConfig(value, ':9965'))).toEqual(parseHubbleMetrics(value));
  });
});

describe('context options', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['labelsContext=source_namespace,destination_namespace', ['source_namespace', 'destination_namespace']],
    ['query;ignoreAAAA;labelsContext=source_pod,destination_namespace', ['destination_namespace']],
    ['sourceContext=namespace;destinationContext=namespace', ['source', 'destination']],
    ['sourceContext=namespace|reserved-identity', ['source']],
    // pod context values are "ns/pod": not a namespace.
    ['sourceContext=pod;destinationContext=pod', []],
    ['sourceContext=identity|namespace', []],
  ])('namespaceLabelsFromOptions(%j) = %j', (options, labels) => {
    expect(namespaceLabelsFromOptions(options)).toEqual(labels);
  });

  it.each([
    ['httpV2:exemplars=true;labelsContext=source_namespace', true],
    ['flow:sourceContext=namespace;destinationContext=namespace', true],
    ['flow:sourceContext=pod', true],
    ['dns:query;ignoreAAAA drop', false],
    ['', false],
  ])('hasContextLabels(%j) = %j', (value, expected) => {
    expect(hasContextLabels(hubbleMetricsConfig(value, ':9965'))).toBe(expected);
  });

  it.each([
    ['1.11.20', false],
    ['1.12.9', false],
    ['1.13.0', true],
    ['1.19.0', true],
    [null, true],
  ])('supportsLabelsContext(%j) = %j', (v, expected) => {
    expect(supportsLabelsContext(v)).toBe(expected);
  });
});

describe('hubbleMetricsPort', () => {
  it.each([
    [':9965', 9965],
    ['0.0.0.0:9091', 9091],
    [null, 9965],
    ['', 9965],
  ])('hubbleMetricsPort(%j) = %s', (addr, port) => expect(hubbleMetricsPort(addr)).toBe(port));
});

describe('parseDynamicMetrics (cilium-dynamic-metrics-config)', () => {
  it('reads names and contextOptions as option text; filters are not options', () => {
    const yaml = [
      'metrics:',
      '- name: dns',
      '  contextOptions:',
      '  - name: query',
      '- name: flow',
      '  contextOptions:',
      '  - name: sourceContext',
      '    values: [workload-name, reserved-identity]',
      '  includeFilters:',
      '  - source_pod: ["kube-system/"]',
      '- name: httpV2',
      '  contextOptions:',
      '  - name: labelsContext',
      '    values: [source_namespace, destination_namespace]',
      '- name: dns',
      '- {}',
    ].join('\n');
    expect(parseDynamicMetrics(yaml)?.map((m) => [m.name, m.options.raw])).toEqual([
      ['dns', 'query'],
      ['flow', 'sourceContext=workload-name|reserved-identity'],
      ['httpV2', 'labelsContext=source_namespace,destination_namespace'],
    ]);
  });

  it.each([
    ['no metrics key', 'other: 1\n', []],
    ['metrics: null', 'metrics:\n', []],
    ['not a list', 'metrics: {dns: 1}\n', null],
    ['broken YAML', 'metrics: [', null],
    ['too large', `metrics:\n${'- name: dns\n'.repeat(30_000)}`, null],
    ['absent', undefined, null],
  ])('%s', (_n, text, expected) => {
    const r = parseDynamicMetrics(text);
    expect(r === null ? null : r.map((m) => m.name)).toEqual(expected);
  });

  it('dynamicMetricsConfig: on with a server address, whatever the list', () => {
    expect(dynamicMetricsConfig(null, ':9965')).toEqual({
      enabled: true,
      list: [],
      options: {},
      serverAddress: ':9965',
      source: 'dynamic',
    });
    expect(dynamicMetricsConfig(parseDynamicMetrics('metrics:\n- name: drop\n'), undefined).enabled).toBe(
      false,
    );
  });
});
