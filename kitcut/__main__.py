from kitcut.cli.main import main

main()
