def test_home_page_renders_in_the_layout(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Officina 4.0" in response.data
    assert b'href="#main"' in response.data  # skip link
