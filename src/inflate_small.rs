//! A small inflater for the zlib streams UserSigs hold (RFC 1950/1951:
//! stored, fixed- and dynamic-Huffman blocks), after Mark Adler's `puff`:
//! canonical Huffman codes decoded bit by bit from per-length counts, so a
//! table costs a few hundred steps to build. A signature document is ~200
//! bytes; a general inflater (miniz_oxide) spent most of a verification
//! building its lookup tables, and its code was ~10 KB of the `.wasm`.

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/// The order code-length code lengths are sent in.
const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
}

impl Bits<'_> {
    /// One bit, least significant first within each byte.
    #[inline(always)]
    fn bit(&mut self) -> Option<u32> {
        let byte = *self.data.get(self.pos)?;
        let b = u32::from(byte >> self.bit) & 1;
        self.bit += 1;
        if self.bit == 8 {
            self.bit = 0;
            self.pos += 1;
        }
        Some(b)
    }

    /// `n` bits as a number, first bit least significant.
    fn bits(&mut self, n: u8) -> Option<u32> {
        (0..n).try_fold(0, |v, i| Some(v | self.bit()? << i))
    }

    /// The next 9 bits, first bit least significant, without consuming
    /// them (zeros past the end), and how many of them the input holds.
    fn peek9(&self) -> (u32, u32) {
        let at = |k: usize| u32::from(self.data.get(self.pos + k).copied().unwrap_or(0));
        let v = (at(0) | at(1) << 8 | at(2) << 16) >> self.bit;
        let left = (self.data.len().saturating_sub(self.pos) * 8).saturating_sub(self.bit as usize);
        (v & 0x1ff, left.min(9) as u32)
    }

    /// Consumes `n` bits (at most 9, already peeked).
    fn skip(&mut self, n: u32) {
        let bits = self.bit + n;
        self.pos += (bits / 8) as usize;
        self.bit = bits % 8;
    }
}

/// A canonical Huffman code: how many codes of each length, and the
/// symbols in code order.
struct Huffman {
    count: [u16; 16],
    symbol: [u16; 288],
}

impl Huffman {
    /// The code for `lengths`; `None` when over-subscribed, or incomplete
    /// beyond the single-code case deflate allows (or at all, `complete`).
    fn new(lengths: &[u8], complete: bool) -> Option<Huffman> {
        let mut h = Huffman {
            count: [0; 16],
            symbol: [0; 288],
        };
        for &l in lengths {
            h.count[usize::from(l)] += 1;
        }
        let used = lengths.len() - usize::from(h.count[0]);
        let mut left: i32 = 1;
        for len in 1..16 {
            left = (left << 1) - i32::from(h.count[len]);
            if left < 0 {
                return None;
            }
        }
        if left > 0 && (complete || used > 1) {
            return None;
        }
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + h.count[len];
        }
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                h.symbol[usize::from(offs[usize::from(l)])] = sym as u16;
                offs[usize::from(l)] += 1;
            }
        }
        Some(h)
    }

    /// The code as a table over the next 9 bits (first bit least
    /// significant): `symbol | length << 9` for codes of at most 9 bits, 0
    /// where a longer code (or none) starts, which [`Huffman::decode`] reads.
    fn table(&self) -> [u16; 512] {
        let mut table = [0u16; 512];
        let (mut code, mut index) = (0u32, 0usize);
        for len in 1..=9u32 {
            for _ in 0..self.count[len as usize] {
                let entry = self.symbol[index] | (len as u16) << 9;
                let mut i = code.reverse_bits() >> (32 - len);
                while i < 512 {
                    table[i as usize] = entry;
                    i += 1 << len;
                }
                code += 1;
                index += 1;
            }
            code <<= 1;
        }
        table
    }

    /// The next symbol.
    #[inline(always)]
    fn decode(&self, b: &mut Bits) -> Option<usize> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= b.bit()? as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                return Some(usize::from(self.symbol[(index + code - first) as usize]));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        None
    }
}

thread_local! {
    /// The fixed literal/length code's table (see [`Huffman::table`]).
    static FIXED_TABLE: [u16; 512] = FIXED.with(|(lit, _)| lit.table());
    /// The fixed codes (built once): literal/length, and distance (codes
    /// 30 and 31 take part in it but never occur).
    static FIXED: (Huffman, Huffman) = {
        let mut lengths = [8u8; 288];
        lengths[144..256].fill(9);
        lengths[256..280].fill(7);
        // Both codes are complete by construction.
        let lit = Huffman::new(&lengths, true).unwrap_or(Huffman { count: [0; 16], symbol: [0; 288] });
        let dist = Huffman::new(&[5; 32], true).unwrap_or(Huffman { count: [0; 16], symbol: [0; 288] });
        (lit, dist)
    };
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    b << 16 | a
}

/// Inflates the zlib stream `raw` into at most `limit` bytes; `None` when
/// it is not valid zlib (Adler-32 included) or inflates to more.
pub fn inflate(raw: &[u8], limit: usize) -> Option<Vec<u8>> {
    let (&cmf, &flg) = (raw.first()?, raw.get(1)?);
    if cmf & 0x0f != 8 || cmf >> 4 > 7 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 || flg & 0x20 != 0 {
        return None;
    }
    let mut b = Bits {
        data: raw,
        pos: 2,
        bit: 0,
    };
    let mut out: Vec<u8> = Vec::with_capacity(256);
    loop {
        let last = b.bits(1)?;
        match b.bits(2)? {
            0 => {
                if b.bit != 0 {
                    b.bit = 0;
                    b.pos += 1;
                }
                let header = raw.get(b.pos..b.pos + 4)?;
                let len = u16::from_le_bytes([header[0], header[1]]);
                if len != !u16::from_le_bytes([header[2], header[3]]) {
                    return None;
                }
                let data = raw.get(b.pos + 4..b.pos + 4 + usize::from(len))?;
                if out.len() + data.len() > limit {
                    return None;
                }
                out.extend_from_slice(data);
                b.pos += 4 + usize::from(len);
            }
            1 => {
                FIXED_TABLE.with(|table| FIXED.with(|(lit, dist)| codes(&mut b, &mut out, limit, lit, dist, table)))?
            }
            2 => {
                let nlen = b.bits(5)? as usize + 257;
                let ndist = b.bits(5)? as usize + 1;
                let ncode = b.bits(4)? as usize + 4;
                if nlen > 286 || ndist > 30 {
                    return None;
                }
                let mut lengths = [0u8; 286 + 30];
                for &at in &ORDER[..ncode] {
                    lengths[at] = b.bits(3)? as u8;
                }
                // The code-length code must be complete.
                let lencode = Huffman::new(&lengths[..19], true)?;
                let mut index = 0;
                while index < nlen + ndist {
                    let sym = lencode.decode(&mut b)?;
                    if sym < 16 {
                        lengths[index] = sym as u8;
                        index += 1;
                        continue;
                    }
                    let (value, repeat) = match sym {
                        16 => (*lengths.get(index.checked_sub(1)?)?, 3 + b.bits(2)? as usize),
                        17 => (0, 3 + b.bits(3)? as usize),
                        _ => (0, 11 + b.bits(7)? as usize),
                    };
                    if index + repeat > nlen + ndist {
                        return None;
                    }
                    lengths[index..index + repeat].fill(value);
                    index += repeat;
                }
                if lengths[256] == 0 {
                    return None;
                }
                let lit = Huffman::new(&lengths[..nlen], false)?;
                let dist = Huffman::new(&lengths[nlen..nlen + ndist], false)?;
                codes(&mut b, &mut out, limit, &lit, &dist, &lit.table())?;
            }
            _ => return None,
        }
        if last == 1 {
            break;
        }
    }
    if b.bit != 0 {
        b.pos += 1;
    }
    let check = raw.get(b.pos..b.pos + 4)?;
    if u32::from_be_bytes([check[0], check[1], check[2], check[3]]) != adler32(&out) {
        return None;
    }
    Some(out)
}

/// One compressed block's symbols, up to its end code; `table` is
/// `lencode`'s lookup table ([`Huffman::table`]).
fn codes(
    b: &mut Bits,
    out: &mut Vec<u8>,
    limit: usize,
    lencode: &Huffman,
    distcode: &Huffman,
    table: &[u16; 512],
) -> Option<()> {
    loop {
        let (bits, left) = b.peek9();
        let entry = table[bits as usize];
        let sym = if entry == 0 {
            lencode.decode(b)? // longer than 9 bits
        } else {
            let len = u32::from(entry >> 9);
            if len > left {
                return None;
            }
            b.skip(len);
            usize::from(entry & 0x1ff)
        };
        match sym {
            0..=255 => {
                if out.len() >= limit {
                    return None;
                }
                out.push(sym as u8);
            }
            256 => return Some(()),
            _ => {
                let i = sym.checked_sub(257).filter(|i| *i < 29)?;
                let len = usize::from(LENGTH_BASE[i]) + b.bits(LENGTH_EXTRA[i])? as usize;
                let d = distcode.decode(b)?;
                let dist = usize::from(*DIST_BASE.get(d)?) + b.bits(*DIST_EXTRA.get(d)?)? as usize;
                if dist > out.len() || out.len() + len > limit {
                    return None;
                }
                let start = out.len() - dist;
                // Byte by byte: a copy may overlap what it writes.
                for k in 0..len {
                    out.push(out[start + k]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniz_oxide::deflate::compress_to_vec_zlib;
    use miniz_oxide::inflate::decompress_to_vec_zlib;

    /// The 9-bit table reads exactly what the bit-by-bit decoder reads, on a
    /// code with every length from 1 to 15 (so both of the table's cases).
    #[test]
    fn the_table_reads_what_the_bit_by_bit_decoder_reads() {
        let mut lengths = [0u8; 288];
        for (i, l) in (1..=15u8).enumerate() {
            lengths[i * 7] = l;
        }
        lengths[105] = 15; // completes the code
        let h = Huffman::new(&lengths, true).unwrap();
        let table = h.table();
        let mut seed = 1u32;
        let (mut short, mut long) = (0, 0);
        for _ in 0..3000 {
            let data: Vec<u8> = (0..6)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect();
            let mut slow_bits = Bits {
                data: &data,
                pos: 0,
                bit: 0,
            };
            let mut fast_bits = Bits {
                data: &data,
                pos: 0,
                bit: 0,
            };
            loop {
                let slow = h.decode(&mut slow_bits);
                let (bits, left) = fast_bits.peek9();
                let entry = table[bits as usize];
                let fast = if entry == 0 {
                    long += 1;
                    h.decode(&mut fast_bits)
                } else if u32::from(entry >> 9) > left {
                    None
                } else {
                    short += 1;
                    fast_bits.skip(u32::from(entry >> 9));
                    Some(usize::from(entry & 0x1ff))
                };
                assert_eq!(fast, slow);
                if slow.is_none() {
                    break;
                }
                assert_eq!((fast_bits.pos, fast_bits.bit), (slow_bits.pos, slow_bits.bit));
            }
        }
        assert!(short > 1000 && long > 10, "both cases ran: {short} short, {long} long");
    }

    /// Every stream miniz_oxide's compressor writes, at every level (stored,
    /// fixed and dynamic blocks), for documents of every size a UserSig
    /// holds and beyond, inflates to the input.
    #[test]
    fn agrees_with_miniz_oxide() {
        let doc = r#"{"TLS.ver":"2.0","TLS.identifier":"admin","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":"q2hYk0o3Zt2r7nQ0Hq4tJ5m8m1N2u3v4w5x6y7z8A9B="}"#;
        let (mut fixed, mut dynamic) = (0, 0);
        for n in [0, 1, 10, 100, doc.len(), 1000, 5000] {
            let data: Vec<u8> = doc.bytes().cycle().take(n).collect();
            for level in 0..=10 {
                let z = compress_to_vec_zlib(&data, level);
                assert_eq!(
                    inflate(&z, 16 * 1024).as_deref(),
                    Some(&data[..]),
                    "n {n} level {level}"
                );
                if z.len() > 2 {
                    match (z[2] >> 1) & 3 {
                        1 => fixed += 1,
                        2 => dynamic += 1,
                        _ => {}
                    }
                }
            }
        }
        assert!(fixed > 5 && dynamic > 5, "fixed {fixed}, dynamic {dynamic}");
    }

    /// Damaged streams (every byte flipped four ways, every truncation):
    /// never a panic, and the same verdict and document as miniz_oxide's.
    #[test]
    fn damaged_streams() {
        let data =
            br#"{"TLS.ver":"2.0","TLS.identifier":"user","TLS.sdkappid":1,"TLS.time":2,"TLS.expire":3,"TLS.sig":"x"}"#;
        for level in [0, 1, 6, 9] {
            let z = compress_to_vec_zlib(data, level);
            for i in 0..z.len() {
                for flip in [1u8, 0x10, 0x80, 0xff] {
                    let mut bad = z.clone();
                    bad[i] ^= flip;
                    assert_eq!(
                        inflate(&bad, 16 * 1024),
                        decompress_to_vec_zlib(&bad).ok(),
                        "level {level} byte {i} ^{flip}"
                    );
                }
                assert_eq!(inflate(&z[..i], 16 * 1024), None, "level {level} cut at {i}");
            }
        }
        // Over the limit: refused.
        for level in [0, 1, 9] {
            let z = compress_to_vec_zlib(&[b'a'; 5000], level);
            assert_eq!(inflate(&z, 5000).map(|v| v.len()), Some(5000));
            assert_eq!(inflate(&z, 4999), None, "level {level}");
        }
    }
}
