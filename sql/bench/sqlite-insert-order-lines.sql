INSERT INTO order_lines VALUES (?, ?, ?, ?)
