"""Open data: the catalog as JSON, CSV and Open Referral HSDS 3, and HSDS back to listings.

It reads the catalog layer and knows nothing of Pelican; the site writes its files with the
build's other extras, and `kindred export` and `kindred import` use it from the command line.

    source          who publishes the data, and where
    licence         the data licence and how to cite the data
    records         a listing as a record of every field; the taxonomy as plain data
    listings_json   groups.json and the JSON Schema that describes it
    listings_csv    groups.csv, for spreadsheets
    hsds            a listing as an HSDS service, with its organization and taxonomy terms
    hsds_files      the HSDS files, laid out as the HSDS API answers, and the tabular form
    hsds_read       an HSDS service back into a listing's fields, saying what did not fit
    files           every file at once
"""
