# fuzz/seeds.sh - sourced by fuzz/run.sh and tests/cli/fuzz_smoke.sh.
# fuzz_seed_dir NAME: the checked-in seeds of a harness.  The JS scanner's
# are the tests' labelled handler corpus, used in place rather than copied.
fuzz_seed_dir() {
    case $1 in
        jsscan) echo tests/data/handlers ;;
        *) echo "fuzz/corpus/$1" ;;
    esac
}
