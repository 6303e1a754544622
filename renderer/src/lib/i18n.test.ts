import { describe, expect, it } from 'vitest';
import { dictionaries, formatResetSummary, localize, pickLocale, translate } from './i18n';

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
