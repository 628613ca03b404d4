/**
 * Two ways to POST at a fixed rate, with the same result: per-request
 * latencies in ms (2xx answers only) and counts of errors.
 *
 * pacedLoad: open loop, one request every 1000/rate ms on a fixed schedule,
 * over at most `connections` keep-alive sockets, whether or not earlier
 * answers have come back (a request that finds every socket busy waits, and
 * that wait counts in its latency).
 *
 * autocannonLoad: autocannon with overallRate. It sends each second's quota
 * back to back at the start of the second (each connection waits for its
 * answer before the next), so the load comes as one burst a second. Its own
 * latency histogram is kept to whole milliseconds and, under a rate, adds
 * coordinated-omission samples at 1 ms intervals (ceil(1/rate)), so the
 * latencies here come from its per-response events instead.
 */
'use strict';
const http = require('http');
const autocannon = require('autocannon');

function pacedLoad({ url, rate, connections, body, headers = {}, timeoutMs = 10000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const payload = Buffer.from(body);
  const latencies = [];
  const counts = { sent: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const inFlight = new Set();
  const interval = 1000 / rate;
  const start = performance.now();
  let timer = null;
  let stopped = false;

  const send = () => {
    const t0 = performance.now();
    counts.sent++;
    const done = new Promise((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, timeout: timeoutMs, headers: { ...headers, 'content-length': payload.length } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode >= 200 && res.statusCode < 300) {
              counts.ok++;
              latencies.push(performance.now() - t0);
            } else counts.non2xx++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        counts.timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', (e) => {
        if (e.message !== 'timeout') counts.errors++;
        resolve();
      });
      req.end(payload);
    });
    inFlight.add(done);
    done.then(() => inFlight.delete(done));
  };
  // Each send is scheduled from the start time, so a late timer does not shift the ones after it.
  const tick = () => {
    if (stopped) return;
    send();
    timer = setTimeout(tick, Math.max(0, start + counts.sent * interval - performance.now()));
  };
  tick();

  return {
    /** Stops sending, waits for the answers still due, and returns what was measured. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      await Promise.all(inFlight);
      agent.destroy();
      return { latencies, seconds, ...counts };
    },
  };
}

function autocannonLoad({ url, rate, connections, body, headers = {}, timeoutMs = 10000, maxSeconds }) {
  const latencies = [];
  const start = performance.now();
  let seconds = 0;
  const instance = autocannon({
    url, method: 'POST', body, headers, connections, overallRate: rate, duration: maxSeconds,
    timeout: timeoutMs / 1000, ignoreCoordinatedOmission: true,
  });
  // Its stop() takes effect at its next one-second tick: answers after the call are left out.
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300 && seconds === 0) latencies.push(ms);
  });
  return {
    async stop() {
      seconds = (performance.now() - start) / 1000;
      instance.stop();
      const r = await instance;
      return { latencies, seconds, sent: r.requests.sent, ok: latencies.length, non2xx: r.non2xx, errors: r.errors - r.timeouts, timeouts: r.timeouts };
    },
  };
}

module.exports = { pacedLoad, autocannonLoad };
