// The classes heard on this network, for the learner's Join screen. The screen asks every few
// seconds while it is open; browsing starts with the first ask and stops once nobody has asked
// for a while, so an app that is not joining sends and hears no mDNS at all. A listed class is a
// hint (its address): joining still needs the instructor's code.
import type { ClassNearby } from '../../api/contract';
import { ClassBrowser, type BrowseOptions, type DiscoveredClass } from './discovery';
import { formatHostPort } from './hub-address';

/** No ask for this long: the Join screen is gone, stop listening. */
export const NEARBY_IDLE_MS = 20_000;

export interface NearbyClassesOptions {
  mdns?: BrowseOptions;
  idleMs?: number;
  /** Tests inject a browser; the app browses the real network. */
  browse?: (opts: BrowseOptions) => Pick<ClassBrowser, 'list' | 'stop'>;
}

export class NearbyClasses {
  private browser: Pick<ClassBrowser, 'list' | 'stop'> | null = null;
  private idle: NodeJS.Timeout | undefined;
  private problem: string | null = null;

  constructor(private readonly opts: NearbyClassesOptions = {}) {}

  /** What has been heard so far; the first call starts listening (an empty list until answers come). */
  list(): ClassNearby {
    if (!this.browser) {
      this.problem = null;
      const onWarning = (err: Error): void => {
        this.problem ??= err.message;
      };
      try {
        this.browser = (this.opts.browse ?? ((o) => new ClassBrowser(o)))({ ...this.opts.mdns, onWarning });
      } catch (err) {
        onWarning(err as Error);
      }
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.stop(), this.opts.idleMs ?? NEARBY_IDLE_MS);
    this.idle.unref();
    return { listening: this.browser !== null, problem: this.problem, classes: (this.browser?.list() ?? []).map(view) };
  }

  get listening(): boolean {
    return this.browser !== null;
  }

  async stop(): Promise<void> {
    clearTimeout(this.idle);
    const browser = this.browser;
    this.browser = null;
    await browser?.stop();
  }
}

function view(c: DiscoveredClass): ClassNearby['classes'][number] {
  return { id: c.id, name: c.className, address: formatHostPort(c.address), fingerprint: c.fingerprintText, compatible: c.compatible };
}
