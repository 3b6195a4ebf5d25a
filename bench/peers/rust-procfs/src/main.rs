//! Benchmark peer: times the Rust `procfs` crate reading a saved /proc/net/tcp (or tcp6) table.
//!
//!     rust-procfs -file TABLE [-kind tcp|tcp6] [-iterations N] [-warmup N]
//!
//! Each iteration opens the file and calls `procfs::net::read_tcp_table(BufReader::new(file))`, as `procfs::net::tcp()`
//! does for /proc/net/tcp (the same function reads tcp6: it tells the families apart by address length). It keeps
//! sl, addresses, ports, st, tx/rx queues and inode of each row (`TcpNetEntry`), and skips the other columns.
//! Prints one JSON object: per-iteration wall and CPU times in ms, the row count and the process's peak RSS.
use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

fn usage(msg: &str) -> ! {
    eprintln!("rust-procfs: {}", msg);
    std::process::exit(1);
}

fn rusage() -> libc::rusage {
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    }
}

/// CPU time so far (user + system, all threads), in ms.
fn cpu_ms() -> f64 {
    let ru = rusage();
    let us = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    us(ru.ru_utime) + us(ru.ru_stime)
}

fn once(file: &str) -> usize {
    let f = File::open(file).unwrap_or_else(|e| usage(&format!("{}: {}", file, e)));
    match procfs::net::read_tcp_table(BufReader::new(f)) {
        Ok(rows) => rows.len(),
        Err(e) => usage(&format!("read_tcp_table: {}", e)),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut file = String::new();
    let mut kind = String::from("tcp");
    let mut iterations = 5usize;
    let mut warmup = 1usize;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_else(|| usage(&format!("{} needs a value", args[i])));
        match args[i].as_str() {
            "-file" => file = value,
            "-kind" => kind = value,
            "-iterations" => iterations = value.parse().unwrap_or_else(|_| usage("-iterations: a number")),
            "-warmup" => warmup = value.parse().unwrap_or_else(|_| usage("-warmup: a number")),
            other => usage(&format!("unknown option {}", other)),
        }
        i += 2;
    }
    if file.is_empty() {
        usage("give -file TABLE");
    }
    if kind != "tcp" && kind != "tcp6" {
        usage("-kind must be tcp or tcp6");
    }
    let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let mut rows = 0usize;
    for _ in 0..warmup {
        rows = once(&file);
    }
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..iterations {
        let c0 = cpu_ms();
        let t0 = Instant::now();
        rows = once(&file);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        cpus.push(cpu_ms() - c0);
    }
    let list = |v: &[f64]| v.iter().map(|x| format!("{:.3}", x)).collect::<Vec<_>>().join(",");
    println!(
        "{{\"peer\":\"rust-procfs\",\"kind\":\"{}\",\"rows\":{},\"bytes\":{},\"timesMs\":[{}],\"cpuMs\":[{}],\"maxRssKb\":{},\"iterations\":{}}}",
        kind,
        rows,
        bytes,
        list(&times),
        list(&cpus),
        rusage().ru_maxrss,
        iterations
    );
}
