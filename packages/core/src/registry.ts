// Backends register themselves by name with a priority, as in onnxruntime's js/common: the registry only
// knows names, priorities and what each backend's `devices()` says. When nothing can run, it throws ONE error
// listing every backend it tried and why each could not start, so the user sees every reason at once.
import { BnxError } from '@bnx/ir';
import type { Backend, DeviceInfo, DeviceKind } from './backend.js';

interface Registration {
  backend: Backend;
  priority: number;
  /** Registration order, to break priority ties (first registered wins). */
  order: number;
}

interface RegistryState {
  backends: Map<string, Registration>;
  registrations: number;
}

// One registry per process, even if two copies of @bnx/core get loaded (a backend built against one install,
// the CLI against another): the state lives on globalThis under a registered symbol.
const REGISTRY_KEY = Symbol.for('@bnx/core/backend-registry');
const globalSlot = globalThis as { [REGISTRY_KEY]?: RegistryState };
const state: RegistryState = (globalSlot[REGISTRY_KEY] ??= { backends: new Map(), registrations: 0 });
const registry = state.backends;

/**
 * Registers `backend` under its name. A higher priority is preferred when no name is asked for. Registering
 * the same name again replaces the earlier one only with an equal or higher priority (so importing a
 * backend twice is harmless) and throws when the same name comes with a lower priority from another object.
 */
export function registerBackend(backend: Backend, priority = 0): void {
  const existing = registry.get(backend.name);
  if (existing) {
    if (existing.backend === backend) {
      existing.priority = Math.max(existing.priority, priority);
      return;
    }
    if (priority < existing.priority) {
      throw new Error(
        `backend '${backend.name}' is already registered with priority ${existing.priority}; ` +
          `a different backend of that name cannot register with the lower priority ${priority}`,
      );
    }
  }
  registry.set(backend.name, { backend, priority, order: existing?.order ?? state.registrations++ });
}

/** Removes a registration (tests, and hosts that want to forbid a backend). */
export function unregisterBackend(name: string): boolean {
  return registry.delete(name);
}

export interface RegisteredBackend {
  name: string;
  priority: number;
  backend: Backend;
}

/** Registered backends, highest priority first. */
export function listBackends(): RegisteredBackend[] {
  return [...registry.values()]
    .sort((a, b) => b.priority - a.priority || a.order - b.order)
    .map(({ backend, priority }) => ({ name: backend.name, priority, backend }));
}

export interface BackendRequest {
  /** A backend name (`tfjs`, `onnx`); absent: the highest-priority backend that can run. */
  name?: string;
  /** `auto` or absent: the first available device the backend lists. */
  device?: DeviceKind | 'auto';
  /** Engine within the backend (tfjs: wasm, cpu, node); absent: the backend's first available one. */
  engine?: string;
}

export interface ResolvedBackend {
  backend: Backend;
  /** The device entry that will run: concrete device and engine. */
  device: DeviceInfo;
  /** Devices of this backend listed before `device` that cannot run, with their reasons: what `auto` passed over. */
  passedOver: DeviceInfo[];
}

function describe(info: DeviceInfo): string {
  return info.engine ? `${info.device}/${info.engine}` : info.device;
}

/**
 * Why `backend` cannot serve `request`, or the device entry that can. Devices are tried in the order the
 * backend lists them; `device: 'auto'` takes the first available one.
 */
async function tryBackend(backend: Backend, request: BackendRequest): Promise<{ ok: DeviceInfo; passedOver: DeviceInfo[] } | { reason: string }> {
  let devices: DeviceInfo[];
  try {
    devices = await backend.devices();
  } catch (err) {
    return { reason: `failed to list its devices: ${err instanceof Error ? err.message : String(err)}` };
  }
  const wantDevice = request.device && request.device !== 'auto' ? request.device : undefined;
  const matching = devices.filter((d) => (!wantDevice || d.device === wantDevice) && (!request.engine || d.engine === request.engine));
  if (matching.length === 0) {
    const asked = [wantDevice && `device '${wantDevice}'`, request.engine && `engine '${request.engine}'`].filter(Boolean).join(' with ');
    const offered = devices.map(describe).join(', ') || 'nothing';
    return { reason: `has no ${asked || 'device'} (it offers: ${offered})` };
  }
  const chosen = matching.findIndex((d) => d.available);
  if (chosen >= 0) return { ok: matching[chosen]!, passedOver: matching.slice(0, chosen) };
  return { reason: matching.map((d) => `${describe(d)}: ${d.reason ?? 'unavailable'}${d.hint ? `. ${d.hint}` : ''}`).join('; ') };
}

/**
 * Picks the backend and device that will run. With a name, only that backend is tried; without one, every
 * registered backend in priority order until one can run. Throws one BnxError naming every backend tried and
 * why it could not start.
 */
export async function resolveBackend(request: BackendRequest = {}): Promise<ResolvedBackend> {
  const all = listBackends();
  let candidates = all;
  if (request.name !== undefined) {
    candidates = all.filter((r) => r.name === request.name);
    if (candidates.length === 0) {
      const known = all.map((r) => `'${r.name}'`).join(', ') || 'none are registered';
      throw new BnxError(`unknown backend '${request.name}' (known backends: ${known})`, 'E_BACKEND_UNKNOWN');
    }
  }
  if (candidates.length === 0) {
    throw new BnxError('no backend is registered: import @bnx/backend-tfjs or @bnx/backend-onnx', 'E_BACKEND_NONE');
  }
  const failures: string[] = [];
  for (const { name, backend } of candidates) {
    const outcome = await tryBackend(backend, request);
    if ('ok' in outcome) return { backend, device: outcome.ok, passedOver: outcome.passedOver };
    failures.push(`  - ${name}: ${outcome.reason}`);
  }
  throw new BnxError(`no backend can run here:\n${failures.join('\n')}`, 'E_BACKEND_UNAVAILABLE');
}
