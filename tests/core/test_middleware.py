def test_trace_is_refused_everywhere(client):
    for address in ["/", "/robots.txt", "/admin/login/", "/no-such-page/"]:
        assert client.generic("TRACE", address).status_code == 405
