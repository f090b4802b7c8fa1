from quarterdeck.cli.app import main

main()
