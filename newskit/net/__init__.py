"""Getting pages: fetch options, the HTTP transport, the fetch call, robots.txt."""
