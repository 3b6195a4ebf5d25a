// Command go-procfs is a benchmark peer: it times github.com/prometheus/procfs parsing a /proc/net/tcp table.
//
//	go-procfs -root /proc -iterations 10            # live table of the caller's network namespace
//	go-procfs -file bench/.work/tcp-100k -kind tcp  # a saved table (laid out as <tmp>/net/tcp)
//
// Each iteration is procfs.NewFS(root) then fs.NetTCP() (or NetTCP6, or NetTCPSummary with -mode summary):
// open, read and parse the whole file into []*netIPSocketLine, exactly as a procfs user would call it.
// Prints one JSON object: per-iteration wall and CPU times in ms, the row count and the process's peak RSS.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/prometheus/procfs"
)

type result struct {
	Peer       string    `json:"peer"`
	Kind       string    `json:"kind"`
	Mode       string    `json:"mode"`
	Root       string    `json:"root"`
	Rows       uint64    `json:"rows"`
	Bytes      int64     `json:"bytes"`
	TimesMs    []float64 `json:"timesMs"`
	CPUMs      []float64 `json:"cpuMs"`
	MaxRssKb   int64     `json:"maxRssKb"`
	GoVersion  string    `json:"goVersion"`
	Iterations int       `json:"iterations"`
}

func main() {
	root := flag.String("root", "", "proc mount point: reads <root>/net/tcp (e.g. /proc or /proc/<pid>)")
	file := flag.String("file", "", "a saved table; linked into a temporary <root>/net/<kind>")
	kind := flag.String("kind", "tcp", "tcp or tcp6")
	mode := flag.String("mode", "rows", "rows (NetTCP: every line into a struct) or summary (NetTCPSummary)")
	iterations := flag.Int("iterations", 5, "timed iterations")
	warmup := flag.Int("warmup", 1, "untimed iterations first")
	flag.Parse()

	if (*root == "") == (*file == "") {
		fail("give exactly one of -root or -file")
	}
	if *kind != "tcp" && *kind != "tcp6" {
		fail("-kind must be tcp or tcp6")
	}
	if *file != "" {
		abs, err := filepath.Abs(*file)
		check(err)
		dir, err := os.MkdirTemp("", "go-procfs-root-")
		check(err)
		defer os.RemoveAll(dir)
		check(os.Mkdir(filepath.Join(dir, "net"), 0o755))
		check(os.Symlink(abs, filepath.Join(dir, "net", *kind)))
		*root = dir
	}

	var bytes int64
	if st, err := os.Stat(filepath.Join(*root, "net", *kind)); err == nil {
		bytes = st.Size() // 0 for a live /proc file
	}

	once := func() uint64 {
		fs, err := procfs.NewFS(*root)
		check(err)
		switch {
		case *mode == "summary" && *kind == "tcp":
			s, err := fs.NetTCPSummary()
			check(err)
			return s.UsedSockets
		case *mode == "summary":
			s, err := fs.NetTCP6Summary()
			check(err)
			return s.UsedSockets
		case *kind == "tcp":
			t, err := fs.NetTCP()
			check(err)
			return uint64(len(t))
		default:
			t, err := fs.NetTCP6()
			check(err)
			return uint64(len(t))
		}
	}

	res := result{Peer: "go-procfs", Kind: *kind, Mode: *mode, Root: *root, Bytes: bytes, Iterations: *iterations}
	for i := 0; i < *warmup; i++ {
		once()
	}
	for i := 0; i < *iterations; i++ {
		c0 := cpuMs()
		start := time.Now()
		res.Rows = once()
		res.TimesMs = append(res.TimesMs, float64(time.Since(start).Nanoseconds())/1e6)
		res.CPUMs = append(res.CPUMs, cpuMs()-c0)
	}
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	res.MaxRssKb = ru.Maxrss
	res.GoVersion = runtime.Version()
	check(json.NewEncoder(os.Stdout).Encode(res))
}

// cpuMs is the process's CPU time so far (user + system, all threads: the garbage collector included).
func cpuMs() float64 {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "go-procfs:", msg)
	os.Exit(1)
}
