-- An error no pcall catches: pandoc reports it and exits with status 83.
function Para(el) error("this filter fails on purpose") end
