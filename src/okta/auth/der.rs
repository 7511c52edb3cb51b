//! Just enough DER to re-wrap private keys that arrive as JWK or SEC1 into
//! the PKCS#1 / PKCS#8 forms the JWT signer reads.

const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const SEQUENCE: u8 = 0x30;
const CONTEXT_1: u8 = 0xa1;

/// id-ecPublicKey (1.2.840.10045.2.1)
pub const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// prime256v1 / P-256 (1.2.840.10045.3.1.7)
pub const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// rsaEncryption (1.2.840.113549.1.1.1)
pub const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A non-negative INTEGER from big-endian bytes.
fn unsigned(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend(trimmed);
    tlv(INTEGER, &content)
}

fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// PKCS#1 `RSAPrivateKey` from its eight numbers (n, e, d, p, q, dp, dq, qi).
pub fn rsa_private_key(numbers: &[Vec<u8>; 8]) -> Vec<u8> {
    let mut parts = vec![unsigned(&[0])];
    parts.extend(numbers.iter().map(|n| unsigned(n)));
    sequence(&parts)
}

/// SEC1 `ECPrivateKey` for P-256 from the scalar and public point.
pub fn ec_private_key(d: &[u8], x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut point = vec![0x00, 0x04];
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    sequence(&[unsigned(&[1]), tlv(OCTET_STRING, d), tlv(CONTEXT_1, &tlv(BIT_STRING, &point))])
}

/// PKCS#8 `PrivateKeyInfo` around a SEC1 P-256 key.
pub fn pkcs8_p256(sec1: &[u8]) -> Vec<u8> {
    sequence(&[unsigned(&[0]), sequence(&[tlv(OID, OID_EC_PUBLIC_KEY), tlv(OID, OID_P256)]), tlv(OCTET_STRING, sec1)])
}

/// Whether `der` contains the encoded object identifier `oid` (a cheap
/// classifier for PKCS#8 and SEC1 keys; the signer validates for real).
pub fn mentions_oid(der: &[u8], oid: &[u8]) -> bool {
    let needle = tlv(OID, oid);
    der.windows(needle.len()).any(|w| w == needle.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_lengths() {
        assert_eq!(unsigned(&[0x00, 0x7f]), vec![0x02, 0x01, 0x7f]);
        assert_eq!(unsigned(&[0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(unsigned(&[]), vec![0x02, 0x01, 0x00]);
        let long = tlv(OCTET_STRING, &[0u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }
}
