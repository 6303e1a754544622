// The lab doctor's findings and a step's unmet needs in words, in the UI's
// language: the services send codes (electron/api/types.ts), the page words
// them here, so both locales say why and what to do.
import type { Availability, DoctorCause, DoctorFinding, DoctorFindings, LessonNeed, Locale, UnmetNeed } from '../../../electron/api/types';
import { dictionaries, translate, type MessageKey } from './i18n';

/** Why, in a phrase: the cause with its detail filled in. */
export function causeText(locale: Locale, cause: DoctorCause, detail?: string): string {
  return translate(locale, `doctor.cause.${cause}`, { detail: detail ?? '?' });
}

/** What to do about a need this engine does not meet. */
export function adviceText(locale: Locale, unmet: UnmetNeed): string {
  if (unmet.cause === 'windows') return translate(locale, 'doctor.advice.windows');
  const specific = `doctor.advice.${unmet.need}.${unmet.cause}`;
  return translate(locale, isKey(specific) ? specific : `doctor.advice.${unmet.need}`);
}

/** "host networking: a --network host container does not see docker0: …" */
export function unmetReason(locale: Locale, unmet: UnmetNeed): string {
  return translate(locale, 'need.reason', { need: translate(locale, `need.${unmet.need}`), cause: causeText(locale, unmet.cause, unmet.detail) });
}

/** A checkpoint set aside: "Not available on this engine: <why>". */
export function unavailableText(locale: Locale, unmet: readonly UnmetNeed[]): string {
  return translate(locale, 'checkpoint.unavailableReason', { reason: unmet.map((u) => unmetReason(locale, u)).join('; ') });
}

export interface FindingRow {
  /** Which finding, for tests and data attributes. */
  key: 'hostNetwork' | 'fromComputer' | 'ipv6' | 'firewall';
  label: string;
  state: Availability;
  /** The state as a word, so colour is never the only signal. */
  value: string;
  why: string;
  /** What to do, where something is missing and the learner can act. */
  advice?: string;
  /** A fact rather than a yes or no (the firewall backend): shown without a verdict's mark. */
  neutral?: boolean;
}

/** The preflight's rows: each finding, its state in words, why, and what to do when it is missing. */
export function findingRows(locale: Locale, f: DoctorFindings): FindingRow[] {
  const row = (key: FindingRow['key'], labelKey: MessageKey, finding: DoctorFinding, need?: LessonNeed): FindingRow => {
    const advice =
      finding.state !== 'no'
        ? undefined
        : need
          ? adviceText(locale, { need, cause: finding.cause, ...(finding.detail ? { detail: finding.detail } : {}) })
          : finding.cause === 'desktop-too-old'
            ? translate(locale, 'doctor.advice.desktop-host-networking')
            : undefined;
    return {
      key,
      label: translate(locale, labelKey),
      state: finding.state,
      value: translate(locale, `doctor.state.${finding.state}`),
      why: causeText(locale, finding.cause, finding.detail),
      ...(advice ? { advice } : {}),
    };
  };
  const fromComputer = row('fromComputer', 'doctor.fromComputer', f.hostNetworkFromComputer);
  if (f.hostNetworkFromComputer.cause === 'desktop-setting') fromComputer.advice = translate(locale, 'doctor.advice.desktop-host-networking');
  const ipv6 = row('ipv6', 'doctor.ipv6', f.ipv6, 'ipv6');
  if (f.ipv6.defaultBridge) ipv6.why += ` (${translate(locale, 'doctor.defaultBridgeIpv6')})`;
  const firewallState: Availability = f.firewall.backend === 'unknown' ? 'unknown' : 'yes';
  return [
    row('hostNetwork', 'doctor.hostNetwork', f.hostNetwork, 'host-network'),
    fromComputer,
    ipv6,
    {
      key: 'firewall',
      label: translate(locale, 'doctor.firewall'),
      state: firewallState,
      value: f.firewall.backend === 'unknown' ? translate(locale, 'doctor.state.unknown') : f.firewall.backend,
      why: causeText(locale, f.firewall.cause, f.firewall.detail),
      neutral: true,
    },
  ];
}

/** "Docker Desktop 4.33.0 (160616) · linux/arm64 · kernel 6.10.0-linuxkit" */
export function engineSummary(locale: Locale, f: DoctorFindings): string {
  const e = f.engine;
  const name = e.product && e.kind !== 'linux' ? e.product : translate(locale, `doctor.kind.${e.kind}`);
  const parts = [name, e.os && !name.startsWith(e.os) ? e.os : undefined, `${e.osType ?? '?'}/${e.arch ?? '?'}`, e.kernel];
  return parts.filter((p): p is string => Boolean(p)).join(' · ');
}

function isKey(key: string): key is MessageKey {
  return Object.hasOwn(dictionaries.en, key);
}
