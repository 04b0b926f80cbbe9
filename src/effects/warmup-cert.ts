// The key and certificate of the TLS warm-up server (src/effects/http-warmup.ts): a handshake with this
// process itself on 127.0.0.1 before a probe's clock starts. They are public and secure nothing: only the
// warm-up request trusts this certificate, the probe never does. Valid 2000–2199, made with
//   faketime '2000-01-01' openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
//     -days 73000 -subj '/CN=anomaly-guard warm-up' -addext subjectAltName=IP:127.0.0.1

/** The warm-up server's private key (PEM, P-256). */
export const WARMUP_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLwRAe4gYTzcCCUOM
rVT537pf9aP7o9pRqU6V/PceucOhRANCAASVnhh7Kql0ABUvkYqhXC66lsBIv/3Y
a/LZEcP9DaiOnILF9pBdRpk4Eys4080/VPGwSd5uNyDf8G1mHx2+G9MC
-----END PRIVATE KEY-----`;

/** The warm-up server's self-signed certificate (PEM), for IP 127.0.0.1. */
export const WARMUP_CERT = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU6gAwIBAgIUbGgUfhX9FKutJ8Z8FGGCQQG/fckwCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVYW5vbWFseS1ndWFyZCB3YXJtLXVwMCAXDTAwMDEwMTAwMDAw
MFoYDzIxOTkxMTEzMDAwMDAwWjAgMR4wHAYDVQQDDBVhbm9tYWx5LWd1YXJkIHdh
cm0tdXAwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASVnhh7Kql0ABUvkYqhXC66
lsBIv/3Ya/LZEcP9DaiOnILF9pBdRpk4Eys4080/VPGwSd5uNyDf8G1mHx2+G9MC
o2QwYjAdBgNVHQ4EFgQUr50ALiGCja/3CYjos+U+poNC2RgwHwYDVR0jBBgwFoAU
r50ALiGCja/3CYjos+U+poNC2RgwDwYDVR0TAQH/BAUwAwEB/zAPBgNVHREECDAG
hwR/AAABMAoGCCqGSM49BAMCA0gAMEUCIGA0a95/SwF7gphsnT5rMlab6pnWV/+Q
gTgkPmlgtzd3AiEAoqKlAZMv6e/7k0/Kl7zR29Rr6UnmB6OM5XD+ZNubeyo=
-----END CERTIFICATE-----`;
