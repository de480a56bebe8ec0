//! The time the flows go by: the system's, or one a test sets. Whether cached credentials are
//! still fresh, and when a record was written, are read from the context's clock.

use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    /// Stays where it is set.
    Fixed(Arc<Mutex<OffsetDateTime>>),
}

impl Clock {
    pub fn fixed(at: OffsetDateTime) -> Clock {
        Clock::Fixed(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(at) => *at.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Moves a fixed clock (every copy of it); the system's cannot be set.
    pub fn set(&self, to: OffsetDateTime) {
        if let Clock::Fixed(at) = self {
            *at.lock().unwrap_or_else(|p| p.into_inner()) = to;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_fixed_clock_moves_only_when_set_and_its_copies_with_it() {
        let c = Clock::fixed(datetime!(2026-12-03 10:00 UTC));
        let copy = c.clone();
        copy.set(datetime!(2026-12-03 10:30 UTC));
        assert_eq!(c.now(), datetime!(2026-12-03 10:30 UTC));
        let before = OffsetDateTime::now_utc();
        Clock::System.set(datetime!(2000-01-01 0:00 UTC));
        assert!(Clock::System.now() >= before);
    }
}
