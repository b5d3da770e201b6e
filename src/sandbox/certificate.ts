import { generate } from 'selfsigned';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at start: the SDK clients refuse to
 * send a bearer token over plain HTTP, so the sandbox speaks HTTPS and the clients trust this one
 * certificate (an https.Agent with `ca`, or NODE_EXTRA_CA_CERTS).
 */
export async function createLoopbackCertificate(): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 3_600_000),
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
