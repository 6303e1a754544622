import { describe, expect, it } from 'vitest';
import { dictionaries, formatBytes, formatPackProgress, formatPackResult, formatResetSummary, localize, pickLocale, translate } from './i18n';

describe('i18n', () => {
  it('has the same keys in every locale', () => {
    expect(Object.keys(dictionaries['zh-CN']).sort()).toEqual(Object.keys(dictionaries.en).sort());
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'home.progress', { passed: 3, total: 9 })).toBe('3/9 checkpoints');
    expect(translate('zh-CN', 'home.progress', { passed: 3, total: 9 })).toBe('3/9 个检查点');
    expect(translate('en', 'terminal.exited')).toBe('Process exited (code {code})');
  });

  it('picks a saved locale first, then the browser language', () => {
    expect(pickLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale('fr', ['de-DE'])).toBe('en');
    expect(pickLocale(undefined, [])).toBe('en');
  });

  it('falls back to English for an empty translation', () => {
    expect(localize({ en: 'Bridge', 'zh-CN': '' }, 'zh-CN')).toBe('Bridge');
    expect(localize({ en: 'Bridge', 'zh-CN': '网桥' }, 'zh-CN')).toBe('网桥');
    expect(localize(undefined, 'en')).toBe('');
  });

  it('summarises a reset with plurals', () => {
    expect(
      formatResetSummary('en', {
        removedContainers: ['a', 'b', 'c', 'd'],
        removedNetworks: ['n'],
        failed: [{ name: 'x', message: 'in use' }],
      }),
    ).toEqual(['Removed 4 containers, 1 network', 'Could not remove x: in use']);
    expect(formatResetSummary('zh-CN', { removedContainers: ['a'], removedNetworks: [], failed: [] })).toEqual([
      '已删除 1 个容器、0 个网络',
    ]);
    expect(formatResetSummary('en', { removedContainers: [], removedNetworks: [], failed: [] })[0]).toContain('Nothing');
  });
});

describe('image pack results', () => {
  it('formats sizes as Docker does (powers of 1000)', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(23_400_000)).toBe('23 MB');
    expect(formatBytes(1_250_000_000)).toBe('1.3 GB');
    expect(formatBytes(-1)).toBe('?');
  });

  it('says what was imported or written, in both locales', () => {
    const result = { file: '/tmp/pack.tar', images: ['busybox:latest', 'httpd:latest'], bytes: 5_300_000 };
    expect(formatPackResult('en', 'import', result)).toBe('Imported 2 images from /tmp/pack.tar (5.3 MB).');
    expect(formatPackResult('en', 'export', { ...result, images: ['busybox:latest'] })).toBe('Wrote 1 image (5.3 MB) to /tmp/pack.tar.');
    expect(formatPackResult('zh-CN', 'export', result)).toBe('已将 2 个镜像（5.3 MB）写入 /tmp/pack.tar。');
  });
});

describe('formatPackProgress', () => {
  it('names the phase and formats the sizes in the learner\'s language', () => {
    expect(formatPackProgress('en', { phase: 'verify', bytes: 3_000_000, total: 12_000_000 })).toBe('Checking the file: 3.0 MB of 12 MB');
    expect(formatPackProgress('zh-CN', { phase: 'load', bytes: 0, total: 5_300_000 })).toBe('正在载入镜像：0 B / 5.3 MB');
    expect(formatPackProgress('en', { phase: 'save', bytes: 2_500_000 })).toBe('Reading the images from Docker: 2.5 MB');
  });
});
