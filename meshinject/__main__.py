from meshinject.cli import main

main()
