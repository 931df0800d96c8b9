// ONNX Runtime 1.29 and later carry a telemetry provider on Linux and macOS: on the first session it writes
// a device id and an event store under the user's cache folder ($XDG_CACHE_HOME or ~/.cache, in
// Microsoft/DeveloperTools/.onnxruntime) for upload to Microsoft's collector. bnx turns it off unless the
// user decided otherwise: ORT_DISABLE_TELEMETRY=1 is ONNX Runtime's own switch (read when its environment
// is created, so it must be set before the first session), and a value the user set, such as 0 to allow
// telemetry, is left alone.
export const ORT_TELEMETRY_SWITCH = 'ORT_DISABLE_TELEMETRY';

/**
 * Sets ORT_DISABLE_TELEMETRY=1 where it is unset. On process.env this reaches the native environment, and so
 * ONNX Runtime in this process and in worker threads started afterwards (their process.env is a copy).
 */
export function turnOffOrtTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  if (env[ORT_TELEMETRY_SWITCH] === undefined) env[ORT_TELEMETRY_SWITCH] = '1';
}
