local a = f
(g)(h)