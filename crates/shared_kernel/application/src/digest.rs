//! SHA-256 digests written as lower-case hex: the one way the shared kernel turns bytes into a
//! stable text key (entity tags, idempotent requests' fingerprints), the same in every process
//! and on every instance.

use sha2::{Digest, Sha256};

/// The first `bytes` bytes (at most 32) of `data`'s SHA-256 digest, as `2 × bytes` hex digits.
pub fn sha256_hex(data: &[u8], bytes: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(data);
    let mut hex = String::with_capacity(bytes * 2);
    for byte in digest.iter().take(bytes) {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::sha256_hex;

    #[test]
    fn is_the_digest_in_hex_cut_to_the_bytes_asked_for() {
        // SHA-256("abc"), FIPS 180-2's example.
        let full = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_hex(b"abc", 32), full);
        assert_eq!(sha256_hex(b"abc", 16), &full[..32]);
    }
}
