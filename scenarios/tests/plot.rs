//! `ioa sweep --plot`: the figure is an SVG with one curve per value of the second parameter
//! and the prediction next to the measurement.

use scenarios::plot::plot;
use scenarios::sweep::sweep;

#[test]
fn a_sweep_plots_measured_and_predicted_curves() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/broadcast/gossip-infect-and-die.toml"
    );
    let src = std::fs::read_to_string(file).expect("bundled scenario");
    let axes = [
        ("params.c", vec!["0".to_string(), "2".to_string()]),
        ("processes", vec!["50".to_string(), "100".to_string()]),
    ];
    let report = sweep(file, &src, 20, &axes, 2, false).expect("sweep");
    assert_eq!(report.rows.len(), 4);
    let out = std::env::temp_dir().join(format!("ioa-plot-{}.svg", std::process::id()));
    plot(&report, "params.c", &report.default_metric(), &out).expect("plot");
    let svg = std::fs::read_to_string(&out).expect("svg written");
    std::fs::remove_file(&out).ok();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(report.default_metric(), "all_delivered");
    for label in ["n = 50", "n = 100", "predicted by theory"] {
        assert!(svg.contains(label), "no {label} in the plot");
    }
}
