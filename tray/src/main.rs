//! `poolpass-tray`: PoolPass with its window closed. The tray icon and menu, the silent
//! refresh and its notifications, in a process that loads no WebKit. The window process starts
//! it when its window closes (and at login, for `--background`); "Open PoolPass" starts the
//! window process again, which takes over and this program exits.

use std::process::Command;
use std::sync::Arc;

use poolpass_tray::handoff::{self, Role};
use poolpass_tray::{log, sibling, Agent, Host, SIGN_OUT_ARG, WINDOW_PROGRAM};
use tokio::sync::mpsc;

fn main() {
    // One thread: the tray does a few requests every quarter of an hour at most.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            log!("the tray could not start: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run()) {
        log!("the tray could not start: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let agent = Arc::new(Agent::from_env()?);
    let socket = handoff::socket_path(&agent.ctx().state_path);
    let claim = match handoff::claim(&socket, Role::Tray) {
        Ok(Some(claim)) => Some(claim),
        Ok(None) => {
            log!("PoolPass is running already; this tray leaves it be");
            return Ok(());
        }
        // Without the socket a window process cannot take over cleanly, but a tray that
        // refreshes is still better than none.
        Err(e) => {
            log!("cannot claim {} ({e})", socket.display());
            None
        }
    };
    let (quit, mut quitting) = mpsc::unbounded_channel();
    agent.start(Arc::new(TrayHost { quit })).await;

    let handed_over = async {
        match claim {
            Some(claim) => claim.serve(|| agent.when_idle(agent.stop())).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        () = handed_over => {}
        _ = quitting.recv() => agent.when_idle(agent.stop()).await,
        () = terminated() => agent.when_idle(agent.stop()).await,
    }
    Ok(())
}

/// SIGTERM (the session ending) or Ctrl+C.
async fn terminated() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

struct TrayHost {
    quit: mpsc::UnboundedSender<()>,
}

impl TrayHost {
    /// Starts the window program; it takes the tray over, and this program exits then.
    fn window(&self, args: &[&str]) {
        let started = sibling(WINDOW_PROGRAM).and_then(|p| Command::new(p).args(args).spawn());
        match started {
            // Reaped on a thread: the window program outlives this one as a rule, but if it
            // fails at start it must not linger as a zombie.
            Ok(mut child) => {
                std::thread::spawn(move || child.wait());
            }
            Err(e) => log!("could not open the PoolPass window ({e})"),
        }
    }
}

impl Host for TrayHost {
    fn open(&self) {
        self.window(&[]);
    }

    fn sign_out(&self) {
        self.window(&[SIGN_OUT_ARG]);
    }

    fn quit(&self) {
        let _ = self.quit.send(());
    }
}
