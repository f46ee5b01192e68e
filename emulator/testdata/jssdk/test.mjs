// test.mjs drives the cffuzz emulator through the whole connection-function
// lifecycle with the AWS SDK for JavaScript v3, by endpoint URL alone.
// emulator/jssdk_test.go runs it; by hand:
//
//   CFFUZZ_ENDPOINT=http://127.0.0.1:4566 node test.mjs
//
// It prints one line per step and exits 1 with a message on the first failure.

import {
  CloudFrontClient,
  CreateConnectionFunctionCommand,
  DeleteConnectionFunctionCommand,
  DescribeConnectionFunctionCommand,
  GetConnectionFunctionCommand,
  ListConnectionFunctionsCommand,
  ListDistributionsByConnectionFunctionCommand,
  PublishConnectionFunctionCommand,
  TestConnectionFunctionCommand,
  UpdateConnectionFunctionCommand,
} from '@aws-sdk/client-cloudfront';

const endpoint = process.env.CFFUZZ_ENDPOINT;
if (!endpoint) {
  console.error('FAIL: set CFFUZZ_ENDPOINT to the emulator URL, e.g. http://127.0.0.1:4566');
  process.exit(2);
}

const client = new CloudFrontClient({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
});

const code =
  "function connectionHandler(connection){ if (connection.clientIp === '203.0.113.42') connection.allow(); else connection.deny(); }";
const name = `jssdk-${process.pid}`;
const enc = new TextEncoder();
const dec = new TextDecoder();
const config = { Comment: 'js sdk v3', Runtime: 'cloudfront-js-2.0' };

class StepError extends Error {}

function check(cond, msg) {
  if (!cond) throw new StepError(msg);
}

function fmt(v) {
  return JSON.stringify(v, (k, x) => (k === '$metadata' ? undefined : x));
}

async function step(label, fn) {
  try {
    const detail = await fn();
    console.log(`ok   ${label}${detail ? ': ' + detail : ''}`);
  } catch (err) {
    const why =
      err instanceof StepError
        ? err.message
        : `${err.name}: ${err.message} (HTTP ${err.$metadata?.httpStatusCode ?? '?'})`;
    console.error(`FAIL ${label}: ${why}`);
    process.exit(1);
  }
}

// expectError runs fn and checks it throws the named service error with the status.
async function expectError(fn, wantName, wantStatus) {
  let res;
  try {
    res = await fn();
  } catch (err) {
    const status = err.$metadata?.httpStatusCode;
    check(
      err.name === wantName && status === wantStatus,
      `want ${wantName} ${wantStatus}, got ${err.name} ${status}: ${err.message}`,
    );
    return `${err.name} ${status}`;
  }
  throw new StepError(`want ${wantName} ${wantStatus}, the call succeeded: ${fmt(res)}`);
}

function checkTest(res, wantDecision) {
  const r = res.ConnectionFunctionTestResult;
  check(r, `no ConnectionFunctionTestResult in ${fmt(res)}`);
  check(
    typeof r.ComputeUtilization === 'string' && /^[0-9]+$/.test(r.ComputeUtilization),
    `ComputeUtilization ${fmt(r.ComputeUtilization)} is not a numeric string`,
  );
  check(Array.isArray(r.ConnectionFunctionExecutionLogs), `ConnectionFunctionExecutionLogs ${fmt(r.ConnectionFunctionExecutionLogs)} is not a list`);
  let out;
  try {
    out = JSON.parse(r.ConnectionFunctionOutput);
  } catch (err) {
    throw new StepError(`ConnectionFunctionOutput ${fmt(r.ConnectionFunctionOutput)} is not JSON: ${err.message}`);
  }
  check(out.decision === wantDecision, `decision ${fmt(out.decision)}, want ${wantDecision} (output ${r.ConnectionFunctionOutput})`);
  check(!r.ConnectionFunctionErrorMessage, `ConnectionFunctionErrorMessage ${fmt(r.ConnectionFunctionErrorMessage)}`);
  return `decision ${out.decision}, utilization ${r.ComputeUtilization}`;
}

function object(ip) {
  return enc.encode(JSON.stringify({ clientIp: ip, clientPort: 51234, serverIp: '198.51.100.7', serverPort: 443 }));
}

let id;
let devETag;

await step('CreateConnectionFunction', async () => {
  const res = await client.send(
    new CreateConnectionFunctionCommand({ Name: name, ConnectionFunctionConfig: config, ConnectionFunctionCode: enc.encode(code) }),
  );
  check(res.$metadata.httpStatusCode === 201, `HTTP ${res.$metadata.httpStatusCode}, want 201`);
  const s = res.ConnectionFunctionSummary;
  check(s && s.Id && s.Name === name, `summary ${fmt(s)} lacks Id or Name ${name}`);
  check(res.ETag, 'no ETag');
  check(res.Location, 'no Location');
  check(s.Status === 'UNPUBLISHED', `Status ${s.Status}, want UNPUBLISHED`);
  check(s.ConnectionFunctionConfig?.Runtime === 'cloudfront-js-2.0', `Runtime ${fmt(s.ConnectionFunctionConfig)}`);
  id = s.Id;
  devETag = res.ETag;
  return `id ${id}, ETag ${devETag}`;
});

await step('DescribeConnectionFunction', async () => {
  const res = await client.send(new DescribeConnectionFunctionCommand({ Identifier: id }));
  const s = res.ConnectionFunctionSummary;
  check(s?.Id === id && s.Name === name, `summary ${fmt(s)}`);
  check(res.ETag === devETag, `ETag ${res.ETag}, want ${devETag}`);
  check(s.Stage === 'DEVELOPMENT', `Stage ${s.Stage}, want DEVELOPMENT`);
  check(s.ConnectionFunctionArn?.endsWith(`:connection-function/${id}`), `ARN ${s.ConnectionFunctionArn}`);
  check(s.CreatedTime instanceof Date && s.LastModifiedTime instanceof Date, 'CreatedTime or LastModifiedTime is not a Date');
  return `stage ${s.Stage}, ARN ${s.ConnectionFunctionArn}`;
});

await step('GetConnectionFunction', async () => {
  const res = await client.send(new GetConnectionFunctionCommand({ Identifier: id }));
  check(res.ConnectionFunctionCode instanceof Uint8Array, 'ConnectionFunctionCode is not a Uint8Array');
  const got = dec.decode(res.ConnectionFunctionCode);
  check(got === code, `code round trip: got ${fmt(got)}`);
  check(res.ETag === devETag, `ETag ${res.ETag}, want ${devETag}`);
  return `${res.ConnectionFunctionCode.length} bytes, ${res.ContentType}`;
});

await step('TestConnectionFunction allow', async () => {
  const res = await client.send(new TestConnectionFunctionCommand({ Id: id, IfMatch: devETag, ConnectionObject: object('203.0.113.42') }));
  return checkTest(res, 'allow');
});

await step('TestConnectionFunction deny', async () => {
  const res = await client.send(new TestConnectionFunctionCommand({ Id: id, IfMatch: devETag, ConnectionObject: object('192.0.2.1') }));
  return checkTest(res, 'deny');
});

const staleETag = devETag;
await step('UpdateConnectionFunction', async () => {
  const res = await client.send(
    new UpdateConnectionFunctionCommand({
      Id: id,
      IfMatch: devETag,
      ConnectionFunctionConfig: { ...config, Comment: 'updated by js sdk v3' },
      ConnectionFunctionCode: enc.encode(code + '\n'),
    }),
  );
  check(res.ETag && res.ETag !== staleETag, `ETag ${res.ETag} did not change from ${staleETag}`);
  check(res.ConnectionFunctionSummary?.ConnectionFunctionConfig?.Comment === 'updated by js sdk v3', `summary ${fmt(res.ConnectionFunctionSummary)}`);
  devETag = res.ETag;
  return `ETag ${devETag}`;
});

await step('UpdateConnectionFunction stale ETag', () =>
  expectError(
    () =>
      client.send(
        new UpdateConnectionFunctionCommand({ Id: id, IfMatch: staleETag, ConnectionFunctionConfig: config, ConnectionFunctionCode: enc.encode(code) }),
      ),
    'PreconditionFailed',
    412,
  ),
);

// A missing If-Match cannot be sent: the SDK refuses a request without a
// required member before it reaches the wire.

await step('PublishConnectionFunction', async () => {
  const res = await client.send(new PublishConnectionFunctionCommand({ Id: id, IfMatch: devETag }));
  const s = res.ConnectionFunctionSummary;
  check(s?.Id === id, `summary ${fmt(s)}`);
  check(s.Stage === 'LIVE', `Stage ${s.Stage}, want LIVE`);
  return `status ${s.Status}`;
});

await step('TestConnectionFunction LIVE', async () => {
  const d = await client.send(new DescribeConnectionFunctionCommand({ Identifier: id, Stage: 'LIVE' }));
  check(d.ETag, 'Describe LIVE returned no ETag');
  const res = await client.send(
    new TestConnectionFunctionCommand({ Id: id, IfMatch: d.ETag, Stage: 'LIVE', ConnectionObject: object('203.0.113.42') }),
  );
  const stage = res.ConnectionFunctionTestResult?.ConnectionFunctionSummary?.Stage;
  check(stage === 'LIVE', `tested stage ${stage}, want LIVE`);
  return checkTest(res, 'allow');
});

await step('ListConnectionFunctions', async () => {
  const res = await client.send(new ListConnectionFunctionsCommand({}));
  check(Array.isArray(res.ConnectionFunctions), `ConnectionFunctions ${fmt(res.ConnectionFunctions)} is not a list`);
  const found = res.ConnectionFunctions.find((s) => s.Id === id);
  check(found && found.Name === name, `function ${id} not listed in ${fmt(res.ConnectionFunctions.map((s) => s.Id))}`);
  return `${res.ConnectionFunctions.length} function(s)`;
});

await step('ListDistributionsByConnectionFunction', async () => {
  const res = await client.send(new ListDistributionsByConnectionFunctionCommand({ ConnectionFunctionIdentifier: id }));
  const l = res.DistributionList;
  check(l, `no DistributionList in ${fmt(res)}`);
  check(l.Quantity === 0 && l.IsTruncated === false, `DistributionList ${fmt(l)}, want Quantity 0, IsTruncated false`);
  return `Quantity ${l.Quantity}, MaxItems ${l.MaxItems}`;
});

await step('DeleteConnectionFunction', async () => {
  const res = await client.send(new DeleteConnectionFunctionCommand({ Id: id, IfMatch: devETag }));
  check(res.$metadata.httpStatusCode === 204, `HTTP ${res.$metadata.httpStatusCode}, want 204`);
  return 'HTTP 204';
});

await step('DescribeConnectionFunction after delete', () =>
  expectError(() => client.send(new DescribeConnectionFunctionCommand({ Identifier: id })), 'EntityNotFound', 404),
);

console.log('PASS');
