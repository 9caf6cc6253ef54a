from hotline.cli.main import main

main()
