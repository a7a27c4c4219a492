//! Text widths from the font's own tables ([`super::metrics`], DejaVu Sans), not from the
//! system: a diagram lays out alike natively, where plotters would ask fontconfig, and in a
//! browser's Web Worker, which has no fonts and no document to measure with.

use super::metrics::{
    BOLD_ADVANCE, BOLD_KERN, BOLD_PLACEHOLDER, REGULAR_ADVANCE, REGULAR_KERN, REGULAR_PLACEHOLDER,
    UNITS_PER_EM,
};

/// The width in pixels of `s` at plotters' font size `size` (an em of `size / 1.24` px), bold or
/// not: the advances of its characters plus the kerning between neighbours, as plotters' own
/// TrueType layout sums them. A character outside the tables counts as the placeholder glyph.
pub(super) fn width(s: &str, size: u32, bold: bool) -> i32 {
    let (advance, kern, placeholder) = if bold {
        (BOLD_ADVANCE, BOLD_KERN, BOLD_PLACEHOLDER)
    } else {
        (REGULAR_ADVANCE, REGULAR_KERN, REGULAR_PLACEHOLDER)
    };
    let mut units = 0f32;
    let mut prev: Option<char> = None;
    for c in s.chars() {
        units += f32::from(
            advance
                .binary_search_by_key(&c, |&(k, _)| k)
                .map_or(placeholder, |i| advance[i].1),
        );
        if let Some(p) = prev {
            if let Ok(i) = kern.binary_search_by_key(&(p, c), |&(a, b, _)| (a, b)) {
                units += f32::from(kern[i].2);
            }
        }
        prev = Some(c);
    }
    let pixels_per_em = f64::from(size) / 1.24;
    (units * pixels_per_em as f32 / UNITS_PER_EM) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for table in [REGULAR_ADVANCE, BOLD_ADVANCE] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
        for table in [REGULAR_KERN, BOLD_KERN] {
            assert!(table
                .windows(2)
                .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        }
    }

    #[test]
    fn widths_add_advances_and_kerning() {
        // At 2048 px an em, a width in pixels is the sum in font units (times 1.24 / 1.24).
        let size = (2048.0 * 1.24) as u32 + 1;
        let m = width("m", size, false);
        assert_eq!(m, 1995, "DejaVu Sans's m is 1995 units wide");
        assert!(width("mm", size, false) >= 2 * m - 1);
        // "AV" is kerned tighter than its two letters apart; bold is wider than regular.
        assert!(width("AV", size, false) < width("A", size, false) + width("V", size, false));
        assert!(width("m", size, true) > m);
        assert_eq!(
            width("\u{e000}", size, false),
            2100,
            "unknown: the placeholder"
        );
    }
}
