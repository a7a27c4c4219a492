pub struct RoundDrivenClock;
