-- os.setlocale: queries, C/POSIX, C.UTF-8 spellings, unknown locales, categories.
print(os.setlocale())
print(os.setlocale("C"), os.setlocale("POSIX"), os.setlocale("fr_FR"), os.setlocale("c"))
print(os.setlocale(nil, "all"), os.setlocale(nil, "numeric"))
print(os.setlocale("C.UTF-8", "numeric"), os.setlocale(nil, "numeric"))
print(os.setlocale(nil, "all"))
print(os.setlocale("C", "numeric"), os.setlocale())
print(os.setlocale("C.utf8", "time"), os.setlocale("C", "time"))
print(os.setlocale("POSIX.UTF-8"), os.setlocale("en_US.UTF-8", "ctype"))
print(pcall(os.setlocale, "C", "bogus"))
print(pcall(os.setlocale, {}))
for _, c in ipairs({"all", "collate", "ctype", "monetary", "numeric", "time"}) do
  print(c, os.setlocale("C", c))
end
