# Sourced by scripts/test-postgres.sh and scripts/bench.sh: picking a free loopback port.

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a loopback port nothing listens on (the kernel's choice when python3 is there, else
# a random one checked with port_in_use), or fails when 100 tries found none.
free_port() {
    local p
    if command -v python3 >/dev/null 2>&1 && p="$(python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null)" && [[ -n "$p" ]]; then
        echo "$p"
        return
    fi
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 40000))
        if ! port_in_use "$p"; then echo "$p"; return; fi
    done
    return 1
}
